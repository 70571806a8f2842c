// Browser-mode server over mocked handlers: the token gate, loopback binding, Host/Origin checks,
// the JSON envelope, static files with the CSP, and events delivered over SSE.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import http from "node:http";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {startServer, tokenHeader, type RunningServer} from "../../src-main/server/startServer.js";
import {createEventHub} from "../../src-main/api/eventHub.js";
import {ApiError} from "../../src-main/api/apiError.js";
import type {ApiHandlers} from "../../src-main/api/apiHandlers.js";
import type {ApiEvent} from "../../src-main/api/contract.js";

interface Reply {
    status: number,
    headers: http.IncomingHttpHeaders,
    body: string
}

function request(server: RunningServer, options: {
    method?: string, path: string, headers?: Record<string, string>, body?: string
}): Promise<Reply> {
    return new Promise((resolve, reject) => {
        const req = http.request({
            host: "127.0.0.1", port: server.port, method: options.method ?? "GET", path: options.path,
            headers: options.headers
        }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => body += chunk);
            res.on("end", () => resolve({status: res.statusCode ?? 0, headers: res.headers, body}));
        });
        req.on("error", reject);
        req.end(options.body);
    });
}

function call(server: RunningServer, name: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return request(server, {
        method: "POST", path: `/api/${name}`,
        headers: {"content-type": "application/json", [tokenHeader]: server.token, ...headers},
        body: input === undefined ? "" : JSON.stringify(input)
    });
}

const calls: Array<{name: string, input: unknown}> = [];
const hub = createEventHub();
let server: RunningServer;
let staticDir: string;

const handlers = {
    async getHardware(input: unknown) {
        calls.push({name: "getHardware", input});
        return {detectedAt: "now"};
    },
    async inspectModel(input: unknown) {
        calls.push({name: "inspectModel", input});
        throw new ApiError("model path not allowed: /etc/passwd", 403);
    },
    async listHistory() {
        throw new Error("disk on fire\nsecond line");
    },
    async cancelBench(input: unknown) {
        calls.push({name: "cancelBench", input});
        return {cancelled: true};
    }
} as unknown as ApiHandlers;

beforeAll(async () => {
    staticDir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-static-"));
    await fs.mkdir(path.join(staticDir, "assets"));
    await fs.writeFile(path.join(staticDir, "index.html"), "<!doctype html><title>LlamaMeter</title>");
    await fs.writeFile(path.join(staticDir, "assets", "app-1234.js"), "console.log('app');".repeat(100));
    server = await startServer({handlers, events: hub, staticDir, port: 0});
});

afterAll(async () => {
    await server.close();
    await fs.rm(staticDir, {recursive: true, force: true});
});

describe("startServer", () => {
    it("binds 127.0.0.1 on a free port and prints a tokenised address", () => {
        expect(server.host).toBe("127.0.0.1");
        expect(server.port).toBeGreaterThan(0);
        expect(server.token).toMatch(/^[0-9a-f]{48}$/);
        expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    });

    it("is not reachable on another interface", async () => {
        const external = Object.values(os.networkInterfaces()).flat()
            .find((address) => address != null && address.family === "IPv4" && !address.internal);
        if (external == null)
            return; // no non-loopback interface on this machine: nothing else to reach
        const refused = await new Promise<boolean>((resolve) => {
            const req = http.get({host: external.address, port: server.port, path: "/", timeout: 2000}, () => resolve(false));
            req.on("error", () => resolve(true));
            req.on("timeout", () => {
                req.destroy();
                resolve(true);
            });
        });
        expect(refused).toBe(true);
    });

    it("refuses API calls without the token, or with a wrong one", async () => {
        const none = await request(server, {method: "POST", path: "/api/getHardware", headers: {"content-type": "application/json"}, body: "{}"});
        expect(none.status).toBe(401);
        expect(JSON.parse(none.body)).toMatchObject({ok: false});
        const wrong = await call(server, "getHardware", {}, {[tokenHeader]: "0".repeat(48)});
        expect(wrong.status).toBe(401);
        const inQuery = await request(server, {method: "POST", path: `/api/getHardware?token=${server.token}`, headers: {"content-type": "application/json"}, body: "{}"});
        expect(inQuery.status).toBe(401);
        expect(calls.filter((c) => c.name === "getHardware")).toHaveLength(0);
    });

    it("calls the handler with the parsed body and wraps its value", async () => {
        const reply = await call(server, "cancelBench", {runId: "r1"});
        expect(reply.status).toBe(200);
        expect(JSON.parse(reply.body)).toEqual({ok: true, value: {cancelled: true}});
        expect(calls.at(-1)).toEqual({name: "cancelBench", input: {runId: "r1"}});
        const empty = await call(server, "getHardware", {});
        expect(JSON.parse(empty.body)).toEqual({ok: true, value: {detectedAt: "now"}});
    });

    it("reports handler errors as one line with their status", async () => {
        const refused = await call(server, "inspectModel", {path: "/etc/passwd"});
        expect(refused.status).toBe(403);
        expect(JSON.parse(refused.body)).toEqual({ok: false, error: "model path not allowed: /etc/passwd"});
        const crashed = await call(server, "listHistory", {});
        expect(crashed.status).toBe(500);
        expect(JSON.parse(crashed.body)).toEqual({ok: false, error: "disk on fire; second line"});
    });

    it("refuses unknown operations, non-JSON bodies and GET calls", async () => {
        expect((await call(server, "constructor", {})).status).toBe(404);
        expect((await call(server, "__proto__", {})).status).toBe(404);
        expect((await call(server, "startBench", {})).status).toBe(404); // not among the mocked handlers
        const text = await request(server, {
            method: "POST", path: "/api/getHardware", headers: {"content-type": "text/plain", [tokenHeader]: server.token}, body: "{}"
        });
        expect(text.status).toBe(415);
        const bad = await request(server, {
            method: "POST", path: "/api/getHardware", headers: {"content-type": "application/json", [tokenHeader]: server.token}, body: "{nope"
        });
        expect(bad.status).toBe(400);
        const get = await request(server, {path: "/api/getHardware", headers: {[tokenHeader]: server.token}});
        expect(get.status).toBe(405);
    });

    it("refuses a foreign Host (DNS rebinding) and a foreign Origin", async () => {
        const rebound = await call(server, "getHardware", {}, {host: `evil.example:${server.port}`});
        expect(rebound.status).toBe(403);
        const page = await request(server, {path: "/", headers: {host: `evil.example:${server.port}`}});
        expect(page.status).toBe(403);
        const otherPort = await call(server, "getHardware", {}, {host: `127.0.0.1:${server.port + 1}`});
        expect(otherPort.status).toBe(403);
        const foreign = await call(server, "getHardware", {}, {origin: "http://evil.example"});
        expect(foreign.status).toBe(403);
        const same = await call(server, "getHardware", {}, {origin: `http://127.0.0.1:${server.port}`});
        expect(same.status).toBe(200);
        const localhost = await call(server, "getHardware", {}, {host: `localhost:${server.port}`, origin: `http://localhost:${server.port}`});
        expect(localhost.status).toBe(200);
    });

    it("serves the UI with the CSP and no-referrer, gzipped when asked, and nothing outside its folder", async () => {
        const page = await request(server, {path: "/"});
        expect(page.status).toBe(200);
        expect(page.body).toContain("<title>LlamaMeter</title>");
        expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
        expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
        expect(page.headers["referrer-policy"]).toBe("no-referrer");
        expect(page.headers["cache-control"]).toBe("no-store");

        const asset = await request(server, {path: "/assets/app-1234.js", headers: {"accept-encoding": "gzip"}});
        expect(asset.status).toBe(200);
        expect(asset.headers["content-encoding"]).toBe("gzip");
        expect(asset.headers["content-type"]).toContain("text/javascript");

        const traversal = await request(server, {path: "/..%2f..%2f..%2fetc%2fpasswd"});
        expect(traversal.body).not.toContain("root:");
        const raw = await request(server, {path: "/../../etc/passwd"});
        expect(raw.body).not.toContain("root:");
        expect((await request(server, {path: "/missing.js"})).status).toBe(404);
        // client-side routes get the page
        expect((await request(server, {path: "/history"})).body).toContain("LlamaMeter");
    });

    it("delivers pushed events over SSE to a client holding the token", async () => {
        const unauthorised = await request(server, {path: "/api/events"});
        expect(unauthorised.status).toBe(401);

        const event: ApiEvent = {channel: "synth", jobId: "j1", writtenBytes: 10, totalBytes: 20, done: false};
        const received = await new Promise<string>((resolve, reject) => {
            const req = http.get({host: "127.0.0.1", port: server.port, path: `/api/events?token=${server.token}`}, (res) => {
                expect(res.statusCode).toBe(200);
                expect(res.headers["content-type"]).toContain("text/event-stream");
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => {
                    text += chunk;
                    if (text.includes(": connected"))
                        hub.emit(event);
                    const match = /^data: (.*)$/m.exec(text);
                    if (match != null) {
                        req.destroy();
                        resolve(match[1]!);
                    }
                });
            });
            req.on("error", reject);
        });
        expect(JSON.parse(received)).toEqual(event);
        // the closed client unsubscribes
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(hub.listenerCount()).toBe(0);
    });

    it("limits each operation's body: small everywhere, large only for importCsv (issue 13)", async () => {
        const withImport = {...handlers, importCsv: async (input: unknown) => ({length: (input as {text: string}).text.length})} as unknown as ApiHandlers;
        const own = await startServer({handlers: withImport, events: hub, staticDir: null});
        try {
            const big = await call(own, "cancelBench", {runId: "x".repeat(100 * 1024)});
            expect(big.status).toBe(413);
            expect(JSON.parse(big.body)).toEqual({ok: false, error: "cancelBench: request body too large (over 64.0 KiB)"});
            const file = await call(own, "importCsv", {text: "y".repeat(2 * 2 ** 20)});
            expect(file.status).toBe(200);
            expect(JSON.parse(file.body)).toEqual({ok: true, value: {length: 2 * 2 ** 20}});
            // still answering
            expect((await call(own, "cancelBench", {runId: "r"})).status).toBe(200);
        } finally {
            await own.close();
        }
    });

    it("keeps the Host check on for every spelling of loopback: --host 127.1, ::ffff:127.0.0.1 (issue 13)", async () => {
        for (const host of ["127.1", "::ffff:127.0.0.1"]) {
            let bound: RunningServer;
            try {
                bound = await startServer({handlers, events: hub, staticDir: null, host});
            } catch (error) {
                // no IPv6 on this machine: the spelling cannot be bound, so it cannot be misjudged either
                expect(host).toContain(":");
                expect((error as NodeJS.ErrnoException).code).toMatch(/EADDRNOTAVAIL|EAFNOSUPPORT|EINVAL/);
                continue;
            }
            try {
                const rebound = await call(bound, "cancelBench", {runId: "r"}, {host: `evil.example:${bound.port}`});
                expect(rebound.status, host).toBe(403);
                const local = await call(bound, "cancelBench", {runId: "r"}, {host: `127.0.0.1:${bound.port}`});
                expect(local.status, host).toBe(200);
            } finally {
                await bound.close();
            }
        }
    });

    it("refuses a body over the limit", async () => {
        const small = await startServer({handlers, events: hub, staticDir: null, maxBodyBytes: 1000});
        try {
            const reply = await call(small, "cancelBench", {runId: "x".repeat(5000)});
            expect(reply.status).toBe(413);
        } finally {
            await small.close();
        }
    });
});
