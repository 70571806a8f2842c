// The renderer is served from a privileged app://llamameter/ scheme rather than file://, so the page
// has a real origin (navigation guards and the IPC sender check can recognise it), relative and
// absolute asset URLs both work, and every response carries the Content-Security-Policy header.
import {net, protocol} from "electron";
import fs from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {contentSecurityPolicy} from "../api/contentSecurityPolicy.js";

export const appScheme = "app";
const contentTypes: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml"
};
/** Must run before the app is ready. */
export function registerAppScheme(): void {
    protocol.registerSchemesAsPrivileged([{
        scheme: appScheme,
        privileges: {standard: true, secure: true, supportFetchAPI: true}
    }]);
}

/** Serves `rendererDir` (the built UI) under app://llamameter/. */
export function serveRenderer(rendererDir: string): void {
    const root = path.resolve(rendererDir);
    protocol.handle(appScheme, async (request) => {
        const url = new URL(request.url);
        if (url.host !== "llamameter")
            return textResponse(404, "Not found");
        let file: string;
        try {
            file = path.resolve(root, "." + path.posix.normalize("/" + decodeURIComponent(url.pathname)));
        } catch {
            return textResponse(400, "Bad path");
        }
        if (file !== root && !file.startsWith(root + path.sep))
            return textResponse(403, "Forbidden");
        if (!isFile(file) && path.extname(file) === "")
            file = path.join(root, "index.html"); // the page itself, and client-side routes
        if (!isFile(file)) {
            return path.basename(file) === "index.html"
                ? textResponse(503, `The LlamaMeter UI is not built (${root} has no index.html): run \`npm run build\`.`)
                : textResponse(404, "Not found");
        }
        const response = await net.fetch(pathToFileURL(file).toString());
        const headers = new Headers(response.headers);
        const type = contentTypes[path.extname(file).toLowerCase()];
        if (type != null)
            headers.set("content-type", type); // module scripts need a JavaScript MIME type
        headers.set("content-security-policy", contentSecurityPolicy);
        headers.set("x-content-type-options", "nosniff");
        return new Response(response.body, {status: response.status, headers});
    });
}

function isFile(file: string): boolean {
    try {
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

function textResponse(status: number, text: string): Response {
    return new Response(text, {
        status,
        headers: {"content-type": "text/plain; charset=utf-8", "content-security-policy": contentSecurityPolicy}
    });
}
