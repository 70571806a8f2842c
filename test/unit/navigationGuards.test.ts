// The Electron window guards without Electron: a fake WebContents records the listeners.
import {describe, expect, it, vi} from "vitest";
import {guardWebContents, isSafeExternalUrl} from "../../src-main/shell/navigationGuards.js";
import {isAppUrl} from "../../src-main/shell/appOrigin.js";

describe("isSafeExternalUrl", () => {
    it("allows https links only", () => {
        expect(isSafeExternalUrl("https://github.com/ggml-org/llama.cpp")).toBe(true);
        for (const url of [
            "http://example.com", "file:///etc/passwd", "javascript:alert(1)", "smb://host/share",
            "https://user:pass@example.com", "not a url", "ms-settings:", "app://llamameter/index.html"
        ])
            expect(isSafeExternalUrl(url), url).toBe(false);
    });
});

describe("guardWebContents", () => {
    function setUp() {
        const listeners = new Map<string, (event: {preventDefault: () => void}, url?: string) => void>();
        let openHandler: ((details: {url: string}) => {action: string}) | null = null;
        const contents = {
            on: (name: string, listener: (event: {preventDefault: () => void}, url?: string) => void) => {
                listeners.set(name, listener);
                return contents;
            },
            setWindowOpenHandler: (handler: (details: {url: string}) => {action: string}) => {
                openHandler = handler;
            }
        };
        const opened: string[] = [];
        const openIfSafe = (url: string) => {
            if (isSafeExternalUrl(url))
                opened.push(url);
        };
        guardWebContents(contents as never, isAppUrl, openIfSafe);
        const fire = (name: string, url?: string) => {
            const event = {preventDefault: vi.fn()};
            listeners.get(name)!(event, url);
            return event.preventDefault.mock.calls.length > 0;
        };
        return {fire, opened, open: (url: string) => openHandler!({url})};
    }

    it("keeps the window on the app and sends https links to the browser", () => {
        const {fire, opened, open} = setUp();
        expect(fire("will-navigate", "app://llamameter/index.html")).toBe(false);
        expect(fire("will-navigate", "https://example.com/docs")).toBe(true);
        expect(fire("will-navigate", "file:///etc/passwd")).toBe(true);
        expect(fire("will-navigate", "app://llamameter.evil/")).toBe(true);
        expect(fire("will-redirect", "https://example.com/")).toBe(true);
        expect(fire("will-attach-webview")).toBe(true);
        expect(open("https://example.com/new")).toEqual({action: "deny"});
        expect(open("javascript:alert(1)")).toEqual({action: "deny"});
        expect(opened).toEqual(["https://example.com/docs", "https://example.com/new"]);
    });
});
