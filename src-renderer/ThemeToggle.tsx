// Light / dark / follow the system; the choice is kept in localStorage and applied as <html data-theme>.
import {useEffect, useState} from "react";

export type Theme = "system" | "light" | "dark";
const storageKey = "llamameter.theme";
const next: Record<Theme, Theme> = {system: "light", light: "dark", dark: "system"};

export function ThemeToggle() {
    const [theme, setTheme] = useState<Theme>(() => readTheme());
    useEffect(() => {
        const root = document.documentElement;
        if (theme === "system") delete root.dataset.theme;
        else root.dataset.theme = theme;
        try {
            localStorage.setItem(storageKey, theme);
        } catch {
            // Storage may be unavailable (private mode); the theme still applies for this page.
        }
    }, [theme]);
    return (
        <button type="button" className="secondary" onClick={() => setTheme(next[theme])} aria-label={`Theme: ${theme}. Switch to ${next[theme]}`}>
            Theme: {theme}
        </button>
    );
}

function readTheme(): Theme {
    try {
        const stored = localStorage.getItem(storageKey);
        return stored === "light" || stored === "dark" ? stored : "system";
    } catch {
        return "system";
    }
}
