import {appendFile, mkdir, mkdtemp, readFile, rm, writeFile} from "node:fs/promises";
import {existsSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import {ResultsStore, defaultResultsFile} from "../../src-main/engine/store/resultsStore.js";
import {errorResult, okResult, sampleResults, syntheticResult} from "./fixtures/sampleResults.js";

let dir: string;
beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "llamameter-store-"));
});
afterEach(async () => {
    await rm(dir, {recursive: true, force: true});
});

describe("ResultsStore", () => {
    it("reads nothing from a file that does not exist yet", async () => {
        const store = new ResultsStore(path.join(dir, "none.jsonl"));
        expect(await store.readAllWithReport()).toEqual({results: [], skippedLines: 0});
    });

    it("creates the folder and appends one line per result, read back in order", async () => {
        const file = path.join(dir, "deep", "er", "results.jsonl");
        const store = new ResultsStore(file);
        for (const r of sampleResults)
            await store.append(r);
        const text = await readFile(file, "utf8");
        expect(text.split("\n")).toHaveLength(sampleResults.length + 1);
        expect(text.endsWith("\n")).toBe(true);
        expect(await store.readAll()).toEqual(sampleResults);
    });

    it("reads rows written before the binary's facts were kept apart (its one-line text) as facts", async () => {
        const file = path.join(dir, "old.jsonl");
        const old = {...okResult, env: {...okResult.env, binary: "prebuilt (cpu: zen4; threads: ggml)"}};
        await writeFile(file, JSON.stringify(old) + "\n");
        const [row] = await new ResultsStore(file).readAll();
        expect(row!.env.binary).toEqual({buildType: "prebuilt", cpuVariant: "zen4", threadRuntime: "ggml"});
    });

    it("keeps every line whole when appends overlap", async () => {
        const store = new ResultsStore(path.join(dir, "results.jsonl"));
        const many = Array.from({length: 40}, (_, i) => ({...okResult, id: `id-${i}`}));
        await Promise.all(many.map((r) => store.append(r)));
        const report = await store.readAllWithReport();
        expect(report.skippedLines).toBe(0);
        expect(report.results.map((r) => r.id)).toEqual(many.map((r) => r.id));
    });

    it("skips and counts a half-written last line after a crash", async () => {
        const file = path.join(dir, "results.jsonl");
        const store = new ResultsStore(file);
        await store.append(okResult);
        const line = JSON.stringify(syntheticResult);
        await appendFile(file, line.slice(0, Math.floor(line.length / 2)));
        expect(await store.readAllWithReport()).toEqual({results: [okResult], skippedLines: 1});

        // The next append starts a new line instead of gluing onto the broken one.
        await store.append(errorResult);
        expect(await store.readAllWithReport()).toEqual({results: [okResult, errorResult], skippedLines: 1});
    });

    it("skips corrupt and foreign lines anywhere, and tolerates blank lines and CRLF", async () => {
        const file = path.join(dir, "results.jsonl");
        await writeFile(file, [
            JSON.stringify(okResult),
            "{not json",
            "",
            JSON.stringify({hello: "world"}),
            "[1,2,3]",
            JSON.stringify(errorResult) + "\r",
            "null"
        ].join("\n") + "\n");
        const report = await new ResultsStore(file).readAllWithReport();
        expect(report.results).toEqual([okResult, errorResult]);
        expect(report.skippedLines).toBe(4);
    });

    it("reports a failed append and keeps working after it", async () => {
        // A directory where the file should be: the append must fail, not hang the queue.
        const file = path.join(dir, "results.jsonl");
        const store = new ResultsStore(file);
        await mkdir(file, {recursive: true});
        await expect(store.append(okResult)).rejects.toThrow();
        await rm(file, {recursive: true});
        await store.append(okResult);
        expect(await store.readAll()).toEqual([okResult]);
    });
});

describe("ResultsStore imports", () => {
    it("appends many rows in one write, and reads their ids without parsing whole rows", async () => {
        const file = path.join(dir, "results.jsonl");
        const store = new ResultsStore(file);
        expect(await store.readIds()).toEqual(new Set());
        const odd = {...okResult, id: "quote \" and \\ backslash"};
        await store.append(errorResult);
        await store.appendMany([odd, syntheticResult]);
        // a hand-written line whose id is not its first key, a corrupt line, a half-written last line
        await appendFile(file, JSON.stringify({status: okResult.status, id: "hand-written", timestamp: okResult.timestamp,
            config: okResult.config, env: okResult.env, samples: []}) + "\nnot json\n" + JSON.stringify({...okResult, id: "cut"}).slice(0, 80));
        expect(await store.readIds()).toEqual(new Set([errorResult.id, odd.id, syntheticResult.id, "hand-written"]));
        expect((await store.readAll()).map((r) => r.id)).toEqual([errorResult.id, odd.id, syntheticResult.id, "hand-written"]);
    });
});

describe("defaultResultsFile", () => {
    it("uses LLAMAMETER_RESULTS when set", () => {
        expect(defaultResultsFile({LLAMAMETER_RESULTS: "/data/bench.jsonl"})).toBe("/data/bench.jsonl");
    });

    it("else results/results.jsonl in the repository root", () => {
        const file = defaultResultsFile({});
        expect(path.basename(file)).toBe("results.jsonl");
        const root = path.dirname(path.dirname(file));
        expect(path.basename(path.dirname(file))).toBe("results");
        expect(existsSync(path.join(root, "package.json"))).toBe(true);
        expect(existsSync(path.join(root, "src-main", "engine", "store", "resultsStore.ts"))).toBe(true);
    });
});
