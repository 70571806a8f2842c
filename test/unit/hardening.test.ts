// Issue 13's audit, replayed: each probe against browser mode on 127.0.0.1 (the real server, the real
// handlers, path guard, discovery, validation, import and results history; a fake hardware profile and
// an in-process bench worker), each ending in a clear 4xx or one-line error, with the server still
// answering afterwards.
import {parse} from "csv-parse/sync";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import http from "node:http";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {createHandlers} from "../../src-main/api/createHandlers.js";
import {createEventHub} from "../../src-main/api/eventHub.js";
import type {ApiEvent} from "../../src-main/api/contract.js";
import {startServer, tokenHeader, type RunningServer} from "../../src-main/server/startServer.js";
import {writeSyntheticGguf} from "../../src-main/engine/models/writeSyntheticGguf.js";
import {resolveShape} from "../../src-main/engine/models/shapePresets.js";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {ResultsStore} from "../../src-main/engine/store/resultsStore.js";
import type {TestResult} from "../../src-main/engine/types.js";
import {inProcessSpawner} from "../fixtures/inProcessWorkerSpawner.js";
import {okResult} from "./fixtures/sampleResults.js";

interface Reply {status: number, body: {ok: boolean, value?: unknown, error?: string}, ms: number}

let dir: string;
let modelsDir: string;
let resultsFile: string;
let model: string;
let server: RunningServer;
const hub = createEventHub();
const events: ApiEvent[] = [];
hub.subscribe((event) => events.push(event));

function post(target: RunningServer, name: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const req = http.request({
            host: "127.0.0.1", port: target.port, method: "POST", path: `/api/${name}`,
            headers: {"content-type": "application/json", [tokenHeader]: target.token, ...headers}
        }, (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => text += chunk);
            res.on("end", () => {
                let body: Reply["body"];
                try {
                    body = JSON.parse(text) as Reply["body"];
                } catch {
                    body = {ok: false, error: text.trim()}; // the Host check answers in plain text
                }
                resolve({status: res.statusCode ?? 0, body, ms: Date.now() - started});
            });
        });
        req.on("error", reject);
        req.end(body);
    });
}

const call = (name: string, input: unknown) => post(server, name, input === undefined ? "" : JSON.stringify(input));

/** A clear refusal: the status, and one line naming what was wrong. */
function expectRefusal(reply: Reply, status: number, pattern: RegExp) {
    expect(reply.status).toBe(status);
    expect(reply.body.ok).toBe(false);
    expect(reply.body.error).toMatch(pattern);
    expect(reply.body.error).not.toContain("\n");
}

async function expectStillAnswering() {
    const reply = await call("referenceMachines", undefined);
    expect(reply.status).toBe(200);
    expect(reply.ms).toBeLessThan(1000);
}

beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-hardening-"));
    modelsDir = path.join(dir, "models");
    resultsFile = path.join(dir, "results", "results.jsonl");
    await fs.mkdir(modelsDir);
    model = (await writeSyntheticGguf({shape: resolveShape("tiny"), type: "q4_0", outPath: path.join(modelsDir, "tiny-q4_0.gguf")})).path;
    const handlers = createHandlers({
        modelsDirs: [modelsDir], discoverDefaultDirs: false, resultsFile, emit: hub.emit,
        spawner: inProcessSpawner(40, 30),
        engine: {getHardwareProfile: async () => { throw new Error("no hardware probing in this test"); }}
    });
    server = await startServer({handlers, events: hub, staticDir: null});
});

afterAll(async () => {
    await server.close();
    await fs.rm(dir, {recursive: true, force: true});
});

describe("Broken", () => {
    it("1. a startBench of 67 million tests is refused at once, with the count", async () => {
        const many = (n: number) => Array.from({length: n}, (_, i) => i + 1);
        const reply = await call("startBench", {
            models: many(32).map(() => model), gpuLayers: many(64), threads: many(32), batchSizes: [512],
            nPrompt: many(32), nGen: many(32), reps: 1, flashAttention: [false]
        });
        expectRefusal(reply, 400, /^startBench: the sweep has 67,108,864 tests .*at most 10,000 can run in one sweep/);
        expect(reply.ms).toBeLessThan(1000);
        await expectStillAnswering();
    });

    it("2. formula-looking model names are exported neutralised and import back exactly", async () => {
        const names = ["=HYPERLINK(\"http://evil.example\",\"click\").gguf", "+cmd.gguf", "@SUM(1+1).gguf"];
        const rows: TestResult[] = names.map((fileName, i) => ({
            ...okResult, id: `formula-${i}`, config: {...okResult.config, modelPath: path.join(modelsDir, fileName)},
            model: {...okResult.model!, file: path.join(modelsDir, fileName), fileName}
        }));
        await new ResultsStore(resultsFile).appendMany(rows);
        const exported = await call("exportResults", {format: "csv", ids: rows.map((r) => r.id)});
        const content = (exported.body.value as {content: string}).content;
        const cells = (parse(content) as string[][]).slice(1).flat();
        expect(cells.filter((cell) => /^[=+@]/.test(cell))).toEqual([]);
        expect(cells).toContain("'=HYPERLINK(\"http://evil.example\",\"click\").gguf");
        // Importing the export again: every row is already there.
        const again = await call("importCsv", {text: content});
        expect(again.body.value).toMatchObject({imported: 0, duplicates: 3, message: "0 imported, 3 duplicates skipped"});
        const history = (await call("listHistory", undefined)).body.value as TestResult[];
        expect(history.filter((r) => r.id.startsWith("formula-")).map((r) => r.model?.fileName)).toEqual(names);
        await expectStillAnswering();
    });

    it("3. a cancel sent 10-25 ms after startBench holds, 20 times: no row stored as ok", async () => {
        for (let i = 0; i < 20; i++) {
            const started = await call("startBench", {
                models: [model], gpuLayers: [0], threads: [1, 2], batchSizes: [64], nPrompt: [8], nGen: [4], reps: 1, flashAttention: [false]
            });
            expect(started.status).toBe(200);
            const {runId} = started.body.value as {runId: string};
            await new Promise((resolve) => setTimeout(resolve, 10 + (i % 16)));
            expect((await call("cancelBench", {runId})).body.value).toEqual({cancelled: true});
            const waitStart = Date.now();
            while (!events.some((e) => e.channel === "bench" && e.runId === runId && e.event.type === "done")) {
                expect(Date.now() - waitStart).toBeLessThan(5000);
                await new Promise((resolve) => setTimeout(resolve, 5));
            }
            const rows = (await new ResultsStore(resultsFile).readAll()).filter((r) => r.runId === runId);
            expect(rows.filter((r) => r.status === "ok")).toEqual([]);
        }
        await expectStillAnswering();
    });
});

describe("Weak", () => {
    it("a 79 MiB cancelBench is refused with 413, not read into memory", async () => {
        const reply = await post(server, "cancelBench", JSON.stringify({runId: "x".repeat(79 * 2 ** 20)}));
        expectRefusal(reply, 413, /^cancelBench: request body too large \(over 64\.0 KiB\)$/);
        await expectStillAnswering();
    });

    it("an import answers with a summary, and other requests are answered within 1 s meanwhile", async () => {
        const rows = Array.from({length: 2500}, (_, i) => ({...okResult, id: `bulk-${i}`}));
        const text = csvExporter.serialize(rows);
        const importing = call("importCsv", {text});
        const during: number[] = [];
        let done = false;
        void importing.then(() => { done = true; });
        while (!done) {
            during.push((await call("referenceMachines", undefined)).ms);
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const reply = await importing;
        expect(reply.status).toBe(200);
        expect(reply.body.value).toMatchObject({imported: 2500, duplicates: 0, message: "2500 imported"});
        expect(JSON.stringify(reply.body).length).toBeLessThan(300);
        expect(during.length).toBeGreaterThan(1);
        expect(Math.max(...during)).toBeLessThan(1000);
        // imported rows are in the history, tagged
        const history = (await call("listHistory", undefined)).body.value as TestResult[];
        expect(history.filter((r) => r.id.startsWith("bulk-") && r.imported?.format === "llamameter-csv")).toHaveLength(2500);
    });

    it("a row of 8 million samples is refused in one line, quickly", async () => {
        const header = csvExporter.serialize([okResult]).split("\r\n")[0]!;
        const columns = header.split(",");
        const cells = columns.map((key) => key === "samples_pp_ms" ? "1;".repeat(8_000_000) : key === "status" ? "ok" : key === "n_prompt" ? "8" : "");
        const reply = await call("importCsv", {text: `${header}\r\n${cells.join(",")}\r\n`});
        expectRefusal(reply, 400, /^could not import the file: /);
        expect(reply.ms).toBeLessThan(5000);
        await expectStillAnswering();
    });

    it("paths outside the model folders all get the same 403, existing or not", async () => {
        const answers = [];
        for (const probe of ["/root/.bashrc", "/root/nonexistent", "/etc", "/etc/passwd"]) {
            const reply = await call("inspectModel", {path: probe});
            expectRefusal(reply, 403, /^model path not allowed: /);
            answers.push(reply.body.error!.replace(probe, "<path>"));
        }
        expect(new Set(answers).size).toBe(1);
        await expectStillAnswering();
    });

    it("a text file reached through a symlink in the models folder is named, never quoted", async () => {
        const secret = path.join(dir, "shadow");
        await fs.writeFile(secret, "root:$y$j9T$SECRETHASH:19000:0:99999:7:::\n");
        await fs.symlink(secret, path.join(modelsDir, "innocent.gguf"));
        try {
            const reply = await call("inspectModel", {path: path.join(modelsDir, "innocent.gguf")});
            expect(reply.status).toBe(200);
            const entry = reply.body.value as {error?: string};
            expect(entry.error).toMatch(/is a text file, not a GGUF file$/);
            expect(JSON.stringify(reply.body)).not.toMatch(/root:|SECRET/);
        } finally {
            await fs.rm(path.join(modelsDir, "innocent.gguf"));
        }
        await expectStillAnswering();
    });

    it("a symlink to / in the models folder is not walked", async () => {
        expect((await call("listModels", undefined)).status).toBe(200); // inspects (and caches) the model first
        await fs.symlink("/", path.join(modelsDir, "everything"));
        try {
            const reply = await call("listModels", undefined);
            expect(reply.status).toBe(200);
            expect((reply.body.value as Array<{path: string}>).map((m) => path.basename(m.path))).toEqual(["tiny-q4_0.gguf"]);
            expect(reply.ms).toBeLessThan(3000);
        } finally {
            await fs.rm(path.join(modelsDir, "everything"));
        }
        await expectStillAnswering();
    });

    it("--host 127.1 and --host ::ffff:127.0.0.1 keep the Host check on", async () => {
        for (const host of ["127.1", "::ffff:127.0.0.1"]) {
            const bound = await startServer({handlers: {referenceMachines: async () => []} as never, events: hub, staticDir: null, host}).catch(() => null);
            if (bound == null)
                continue; // no IPv6 here
            try {
                expectRefusal(await post(bound, "referenceMachines", "", {host: `rebind.example:${bound.port}`}), 403, /^Forbidden: unexpected Host header/);
                expect((await post(bound, "referenceMachines", "", {host: `127.0.0.1:${bound.port}`})).status).toBe(200);
            } finally {
                await bound.close();
            }
        }
    });
});
