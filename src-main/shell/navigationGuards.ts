// Keeps every window on the app's own page: navigations and new windows to anything else are refused,
// and only https links leave the app, through the system browser (shell.openExternal, injected so
// this file stays testable without Electron). <webview> is never allowed.
import type {App, WebContents} from "electron";

export interface NavigationGuardOptions {
    app: Pick<App, "on">,
    /** Whether a URL is the app's own page (app://llamameter/...). */
    isAppUrl: (url: string) => boolean,
    openExternal: (url: string) => Promise<void>
}

/** https only, no embedded credentials: file:, javascript:, custom schemes and http are refused. */
export function isSafeExternalUrl(url: string): boolean {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return false;
    }
    return parsed.protocol === "https:" && parsed.username === "" && parsed.password === "" && parsed.hostname !== "";
}

export function installNavigationGuards(options: NavigationGuardOptions): void {
    const openIfSafe = (url: string) => {
        if (isSafeExternalUrl(url))
            options.openExternal(url).catch((err: unknown) => console.error("LlamaMeter: could not open link:", err));
        else
            console.warn(`LlamaMeter: refused to open ${url.slice(0, 200)}`);
    };
    options.app.on("web-contents-created", (_event: unknown, contents: WebContents) => {
        guardWebContents(contents, options.isAppUrl, openIfSafe);
    });
}

export function guardWebContents(
    contents: Pick<WebContents, "on" | "setWindowOpenHandler">,
    isAppUrl: (url: string) => boolean,
    openIfSafe: (url: string) => void
): void {
    contents.on("will-navigate", (event, url) => {
        if (isAppUrl(url))
            return;
        event.preventDefault();
        openIfSafe(url);
    });
    contents.on("will-redirect", (event, url) => {
        if (!isAppUrl(url))
            event.preventDefault();
    });
    contents.on("will-attach-webview", (event) => {
        event.preventDefault();
    });
    contents.setWindowOpenHandler(({url}) => {
        openIfSafe(url);
        return {action: "deny"};
    });
}
