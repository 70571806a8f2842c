// Browser mode: serves the built renderer and the API handlers over HTTP on this machine.
//
// Protocol (src-renderer/api/httpApi.ts implements the client side; keep the two in step):
//   - Start: the server prints  http://127.0.0.1:PORT/?token=TOKEN  (like Jupyter). The page reads
//     the token from its URL, keeps it, and sends it with every API call.
//   - Call:  POST /api/<operation>   (operation = a key of ApiOperations in src-main/api/contract.ts)
//            headers  content-type: application/json
//                     x-llamameter-token: TOKEN
//            body     the operation's input as JSON, or {} for operations without input.
//            answer   JSON {"ok": true, "value": <output>}               (HTTP 200)
//                     JSON {"ok": false, "error": "<one line for the user>"} (HTTP 4xx / 5xx)
//   - Events: GET /api/events?token=TOKEN   (EventSource cannot set headers, hence the query)
//            server-sent events, one per ApiEvent:  data: <ApiEvent JSON>\n\n
//            plus ": ping" comments every 15 s so proxies keep the stream open.
//   - Anything else under /api without the token: 401. Static files (the UI itself) need no token.
//
// Hardening: binds 127.0.0.1 unless told otherwise; when bound to loopback, the Host header must name
// loopback (a DNS-rebinding page has another host name); a cross-origin Origin is refused; no CORS
// headers are ever sent; every response carries the CSP and no-referrer (the page URL holds the token).
import http from "node:http";
import type {AddressInfo} from "node:net";
import fs from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import zlib from "node:zlib";
import {promisify} from "node:util";
import type {ApiHandlers} from "../api/apiHandlers.js";
import {findHandler} from "../api/apiHandlers.js";
import type {EventHub} from "../api/eventHub.js";
import {ApiError, errorMessage} from "../api/apiError.js";
import {formatBytes} from "../engine/formatBytes.js";
import {contentSecurityPolicy} from "../api/contentSecurityPolicy.js";
import {requestBodyLimit} from "./requestBodyLimit.js";

export const tokenHeader = "x-llamameter-token";

export interface StartServerOptions {
    handlers: ApiHandlers,
    /** Where pushed events come from; each SSE client subscribes for as long as it is connected. */
    events: Pick<EventHub, "subscribe">,
    /** Interface to bind; default 127.0.0.1 (this machine only). */
    host?: string,
    /** Port; 0 picks a free one. Default 0. */
    port?: number,
    /** The access token; default 24 random bytes, hex. */
    token?: string,
    /** The built renderer (index.html + assets); null serves the API only. */
    staticDir?: string | null,
    /** Largest accepted request body for any operation, on top of each operation's own limit (requestBodyLimit). */
    maxBodyBytes?: number,
    /** Closes the server when aborted. */
    signal?: AbortSignal
}

export interface RunningServer {
    /** The address to open, token included: http://127.0.0.1:PORT/?token=... */
    url: string,
    origin: string,
    host: string,
    port: number,
    token: string,
    close(): Promise<void>
}

const mimeTypes: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json; charset=utf-8"
};
const compressible = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map"]);
const gzip = promisify(zlib.gzip);

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
    const host = options.host ?? "127.0.0.1";
    const token = options.token ?? crypto.randomBytes(24).toString("hex");
    const maxBodyBytes = options.maxBodyBytes ?? Number.POSITIVE_INFINITY;
    const staticDir = options.staticDir == null ? null : path.resolve(options.staticDir);
    const sseClients = new Set<http.ServerResponse>();
    const gzipCache = new Map<string, {mtimeMs: number, body: Buffer}>();
    let port = 0;

    const server = http.createServer((req, res) => {
        setCommonHeaders(res);
        handle(req, res).catch((err: unknown) => {
            if (!res.headersSent)
                sendJson(res, 500, {ok: false, error: errorMessage(err)});
            else
                res.destroy();
        });
    });
    // Long benchmark runs report over SSE, not over a pending request, so requests can stay short.
    server.requestTimeout = 5 * 60_000;

    async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        if (!hostAllowed(req.headers.host, host, port)) {
            sendText(res, 403, "Forbidden: unexpected Host header (DNS rebinding protection).");
            return;
        }
        const url = new URL(req.url ?? "/", "http://localhost");
        if (url.pathname === "/api" || url.pathname.startsWith("/api/")) {
            if (!originAllowed(req.headers.origin, req.headers.host)) {
                sendJson(res, 403, {ok: false, error: "cross-origin request refused"});
                return;
            }
            const given = url.pathname === "/api/events"
                ? url.searchParams.get("token") ?? headerValue(req.headers[tokenHeader])
                : headerValue(req.headers[tokenHeader]);
            if (!tokenMatches(given, token)) {
                sendJson(res, 401, {ok: false, error: "missing or wrong token: open the address LlamaMeter printed at start (it ends in ?token=...)"});
                return;
            }
            if (url.pathname === "/api/events") {
                if (req.method !== "GET") {
                    sendJson(res, 405, {ok: false, error: "use GET for /api/events"});
                    return;
                }
                openEventStream(req, res);
                return;
            }
            await callOperation(req, res, url.pathname.slice("/api/".length));
            return;
        }
        if (req.method !== "GET" && req.method !== "HEAD") {
            sendText(res, 405, "Method not allowed");
            return;
        }
        await serveStatic(req, res, url.pathname);
    }

    async function callOperation(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
        if (req.method !== "POST") {
            sendJson(res, 405, {ok: false, error: "use POST for API operations"});
            return;
        }
        const handler = findHandler(options.handlers, name);
        if (handler == null) {
            sendJson(res, 404, {ok: false, error: `unknown operation: ${name.slice(0, 64)}`});
            return;
        }
        // A JSON content type cannot be sent cross-origin without a preflight, which we never answer.
        const contentType = headerValue(req.headers["content-type"]) ?? "";
        if (!/^application\/json\b/i.test(contentType)) {
            sendJson(res, 415, {ok: false, error: "send the input as application/json"});
            return;
        }
        let input: unknown;
        try {
            const body = await readBody(req, Math.min(maxBodyBytes, requestBodyLimit(name)));
            input = body.length === 0 ? undefined : JSON.parse(body.toString("utf8"));
        } catch (err) {
            const status = err instanceof ApiError ? err.status : 400;
            sendJson(res, status, {ok: false, error: `${name}: ${err instanceof ApiError ? err.message : "request body is not valid JSON"}`});
            return;
        }
        try {
            const value = await handler(input);
            sendJson(res, 200, {ok: true, value: value ?? null});
        } catch (err) {
            const status = err instanceof ApiError ? err.status : 500;
            if (!(err instanceof ApiError))
                console.error(`LlamaMeter: ${name} failed:`, err);
            sendJson(res, status, {ok: false, error: errorMessage(err)});
        }
    }

    function openEventStream(req: http.IncomingMessage, res: http.ServerResponse): void {
        res.writeHead(200, {
            "content-type": "text/event-stream; charset=utf-8",
            "cache-control": "no-store",
            connection: "keep-alive",
            "x-accel-buffering": "no"
        });
        res.write("retry: 2000\n\n: connected\n\n");
        sseClients.add(res);
        const unsubscribe = options.events.subscribe((event) => {
            res.write(`data: ${JSON.stringify(event)}\n\n`);
        });
        const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
        ping.unref();
        const stop = () => {
            clearInterval(ping);
            unsubscribe();
            sseClients.delete(res);
        };
        req.on("close", stop);
        res.on("close", stop);
    }

    async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
        if (staticDir == null) {
            sendText(res, 404, "Not found");
            return;
        }
        let relative: string;
        try {
            relative = decodeURIComponent(pathname);
        } catch {
            sendText(res, 400, "Bad path");
            return;
        }
        if (relative.includes("\0")) {
            sendText(res, 400, "Bad path");
            return;
        }
        let file = path.resolve(staticDir, "." + path.posix.normalize("/" + relative));
        if (file !== staticDir && !file.startsWith(staticDir + path.sep)) {
            sendText(res, 403, "Forbidden");
            return;
        }
        let stat = await fs.stat(file).catch(() => null);
        if (stat?.isDirectory()) {
            file = path.join(file, "index.html");
            stat = await fs.stat(file).catch(() => null);
        } else if (stat == null && path.extname(file) === "") {
            // Client-side routes fall back to the app's page.
            file = path.join(staticDir, "index.html");
            stat = await fs.stat(file).catch(() => null);
        }
        if (stat == null || !stat.isFile()) {
            if (path.basename(file) === "index.html")
                sendText(res, 503, "The LlamaMeter UI is not built yet: run `npm run build:renderer` (or `npm run web`, which builds it when missing).");
            else
                sendText(res, 404, "Not found");
            return;
        }
        const ext = path.extname(file).toLowerCase();
        res.setHeader("content-type", mimeTypes[ext] ?? "application/octet-stream");
        // Vite puts content-hashed names under assets/; the page itself must always be fresh.
        res.setHeader("cache-control", /[\\/]assets[\\/]/.test(file) ? "public, max-age=31536000, immutable" : "no-store");
        let body: Buffer = await fs.readFile(file);
        if (compressible.has(ext) && /\bgzip\b/.test(headerValue(req.headers["accept-encoding"]) ?? "")) {
            const cached = gzipCache.get(file);
            if (cached != null && cached.mtimeMs === stat.mtimeMs) {
                body = cached.body;
            } else {
                const compressed = await gzip(body);
                gzipCache.set(file, {mtimeMs: stat.mtimeMs, body: compressed});
                body = compressed;
            }
            res.setHeader("content-encoding", "gzip");
            res.setHeader("vary", "accept-encoding");
        }
        res.setHeader("content-length", body.length);
        res.writeHead(200);
        res.end(req.method === "HEAD" ? undefined : body);
    }

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, host, () => {
            server.off("error", reject);
            resolve();
        });
    });
    port = (server.address() as AddressInfo).port;

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
        closing ??= new Promise<void>((resolve) => {
            for (const client of sseClients)
                client.end();
            server.close(() => resolve());
            server.closeAllConnections();
        });
        return closing;
    };
    options.signal?.addEventListener("abort", () => void close(), {once: true});

    const urlHost = host.includes(":") ? `[${host}]` : host;
    const browseHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : urlHost;
    const origin = `http://${browseHost}:${port}`;
    return {url: `${origin}/?token=${token}`, origin, host, port, token, close};
}

function setCommonHeaders(res: http.ServerResponse): void {
    res.setHeader("content-security-policy", contentSecurityPolicy);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "no-referrer");
    res.setHeader("x-frame-options", "DENY");
    res.setHeader("cross-origin-opener-policy", "same-origin");
    res.setHeader("cross-origin-resource-policy", "same-origin");
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
        "content-length": Buffer.byteLength(text)
    });
    res.end(text);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, {"content-type": "text/plain; charset=utf-8", "cache-control": "no-store"});
    res.end(text + "\n");
}

function headerValue(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value[0] : value;
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
    if (given == null)
        return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Whether a host (a --host value, or the name in a Host header) is this machine's loopback, in any
 * spelling: the URL parser reads the shorthands the OS accepts (127.1, 0x7f.1, 2130706433) as
 * 127.0.0.1 and IPv6 forms (0:0:0:0:0:0:0:1, ::ffff:127.0.0.1) canonically. `--host 127.1` and
 * `--host ::ffff:127.0.0.1` were not recognised, which switched the Host check off.
 */
export function isLoopback(host: string): boolean {
    let name: string;
    try {
        const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
        name = new URL(`http://${bracketed}/`).hostname;
    } catch {
        return false;
    }
    return name === "localhost" || name === "localhost." || /^127\.\d+\.\d+\.\d+$/.test(name) ||
        name === "[::1]" || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(name);
}

/** When bound to loopback, only loopback names may appear in Host; otherwise the token alone guards. */
function hostAllowed(hostHeader: string | undefined, boundHost: string, port: number): boolean {
    if (!isLoopback(boundHost))
        return true;
    if (hostHeader == null)
        return false;
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.toLowerCase());
    if (match == null)
        return false;
    const name = match[1] ?? "";
    const givenPort = match[2] == null ? 80 : Number(match[2]);
    return isLoopback(name) && givenPort === port;
}

/** Browsers send Origin on cross-origin requests (and on same-origin POSTs); it must be this server. */
function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
    if (origin == null)
        return true;
    return hostHeader != null && origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`;
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const declared = Number(req.headers["content-length"] ?? "0");
        if (declared > maxBytes) {
            reject(new ApiError(`request body too large (over ${formatBytes(maxBytes)})`, 413));
            req.resume();
            return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
                // Stop keeping the data but drain it, so the 413 answer still reaches the client.
                req.off("data", onData);
                req.resume();
                reject(new ApiError(`request body too large (over ${formatBytes(maxBytes)})`, 413));
                return;
            }
            chunks.push(chunk);
        };
        req.on("data", onData);
        req.on("end", () => resolve(Buffer.concat(chunks)));
        req.on("error", reject);
    });
}
