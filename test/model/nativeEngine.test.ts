// The native engine for real: llama.cpp's own llama-bench beside LlamaMeter's runner on a tiny synthetic model.
// Runs where a llama-bench can be found without building one (PATH, or the cached build that
// `npm run bench:native` makes in .cache/); a fresh clone skips it: a build takes 12-25 minutes on 2 cores.
import {execFile} from "node:child_process";
import {promisify} from "node:util";
import {describe, expect, it} from "vitest";
import {BUILT_FROM_SOURCE, findLlamaBench} from "../../src-main/engine/native/findLlamaBench.js";
import path from "node:path";
import {llamaBenchArgs, llamaBenchMmapFlag, parseLlamaBenchJson} from "../../src-main/engine/native/runLlamaBench.js";
import type {TestConfig, TestResult} from "../../src-main/engine/types.js";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import {fallsShortOfNative} from "../../src-main/engine/ceiling/ceiling.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-native-model-");
const found = await findLlamaBench({build: false}).catch(() => null);

describe("llama-bench beside the rows where node-llama-cpp falls short (--engine auto)", () => {
    // a function: the tiny model is written before the tests run, after this describe is collected
    const spec = () => ({models: [tiny.model], gpuLayers: [0], threads: [1, 2], batchSizes: [512], nPrompt: [16], nGen: [16], reps: 1,
        flashAttention: [true], nativeWhereShort: true});

    // Whether a row falls short is measured (it needs fast tokens: a tiny model gives thousands a second on a quiet
    // machine, but a busy CI host can slow it far below that), so each test checks the rule as it applied to the
    // rows it got, never a speed.
    const short = (row: TestResult) => fallsShortOfNative(row);

    it.skipIf(found == null)("adds a llama-bench row, same settings, after each row that falls short of it, and only there", async () => {
        const results = await runSweep(spec(), {gpu: "cpu"});
        const node = results.filter((row) => row.engine == null);
        expect(node.map((row) => [row.config.threads, row.status])).toEqual([[1, "ok"], [2, "ok"]]);
        const expected = node.flatMap((row) => [[row.config.threads, "llamameter"], ...(short(row) ? [[row.config.threads, "llama-bench"]] : [])]);
        expect(results.map((row) => [row.config.threads, row.engine ?? "llamameter"])).toEqual(expected);
        for (const row of node.filter(short))
            expect([...row.notes ?? [], row.ceiling?.explanation ?? ""].join("; "))
                .toMatch(/llama\.cpp's own llama-bench, same settings: decode [\d.]+ t\/s \(node-llama-cpp [\d.]+× of it\)/);
    });

    it("never builds one, and says so on the row when the given --llama-bench does not work", async () => {
        const results = await runSweep(spec(), {gpu: "cpu", llamaBench: {explicitPath: "/nonexistent/llama-bench"}});
        expect(results.map((row) => [row.config.threads, row.engine ?? "llamameter", row.status])).toEqual([[1, "llamameter", "ok"], [2, "llamameter", "ok"]]);
        const said = "no llama-bench beside it: --llama-bench /nonexistent/llama-bench: no executable file there";
        // on each row that falls short (the search itself is not repeated), on no other
        for (const row of results)
            expect(row.notes ?? []).toEqual(short(row) ? expect.arrayContaining([said]) : expect.not.arrayContaining([said]));
    });
});

describe.skipIf(found == null)(`both engines on a real model (llama-bench: ${found?.path ?? "none found"})`, () => {
    it("runs each test on node-llama-cpp and on llama-bench with the same settings, and each row names the other's figures", async () => {
        const results = await runSweep({
            models: [tiny.model], gpuLayers: [0], threads: [1], batchSizes: [512], nPrompt: [16], nGen: [8], reps: 2,
            flashAttention: [true], engines: ["llamameter", "llama-bench"]
        }, {gpu: "cpu"});
        expect(results.map((r) => [r.engine, r.status])).toEqual([[undefined, "ok"], ["llama-bench", "ok"]]);
        const [node, native] = results;
        expect(native!.config).toEqual({...node!.config, contextSize: native!.config.contextSize});
        expect(native!.samples).toHaveLength(2);
        for (const sample of native!.samples)
            expect(sample).toMatchObject({promptTokens: 16, genTokens: 8, outsideMs: 0});
        expect(native!.stats!.tgTps.mean).toBeGreaterThan(0);
        expect(native!.env.binary).toMatchObject({buildType: "llama-bench", origin: expect.any(String)});
        // a llama-bench built from node-llama-cpp's source runs over the node row's CPU kernels (Linux, prebuilt binary)
        if (found!.origin === BUILT_FROM_SOURCE && node!.env.binary.cpuLibrary != null && process.platform === "linux")
            expect(native!.env.binary).toMatchObject({cpuVariant: node!.env.binary.cpuVariant,
                origin: expect.stringContaining(`ggml CPU kernels: node-llama-cpp's ${path.basename(node!.env.binary.cpuLibrary)}`)});
        for (const row of results)
            expect([...row.notes ?? [], row.ceiling?.explanation ?? ""].join("; ")).toMatch(/llama\.cpp's own llama-bench, same settings: decode [\d.]+ t\/s \(node-llama-cpp [\d.]+× of it\)/);
    });

    it("takes the depth, KV-cache types, micro-batch and mmap as llama-bench's own flags, and echoes them in its JSON", async () => {
        const run = promisify(execFile);
        const help = await run(found!.path, ["--help"]).then(({stdout, stderr}) => stdout + stderr, (error: {stdout?: string, stderr?: string}) => `${error.stdout ?? ""}${error.stderr ?? ""}`);
        const config: TestConfig = {modelPath: tiny.model, gpuLayers: 0, threads: 1, batchSize: 16, nPrompt: 16, nGen: 4, reps: 1, flashAttention: true,
            nDepth: 64, typeK: "q8_0", typeV: "q4_0", ubatchSize: 8, useMmap: false};
        const flag = llamaBenchMmapFlag(help);
        for (const phase of ["pp", "tg"] as const) {
            const {stdout} = await run(found!.path, llamaBenchArgs(config, tiny.model, phase, flag), {maxBuffer: 16 * 1024 * 1024});
            const [row] = parseLlamaBenchJson(stdout) as unknown as Array<Record<string, unknown>>;
            expect(row).toMatchObject({type_k: "q8_0", type_v: "q4_0", n_batch: 16, n_ubatch: 8, n_depth: phase === "pp" ? 64 : 64 + 16,
                n_prompt: phase === "pp" ? 16 : 0, n_gen: phase === "pp" ? 0 : 4});
            expect(flag === "load-mode" ? row!.load_mode : row!.use_mmap).toBe(flag === "load-mode" ? "none" : false);
        }
        // and through the sweep: a row of its own, with the same settings recorded
        const [native] = await runSweep({
            models: [tiny.model], gpuLayers: [0], threads: [1], batchSizes: [16], nPrompt: [16], nGen: [4], reps: 1, flashAttention: [true],
            nDepth: [64], cacheTypeK: ["q8_0"], cacheTypeV: ["q4_0"], ubatchSizes: [8], useMmap: [false], engines: ["llama-bench"]
        }, {gpu: "cpu", llamaBench: {explicitPath: found!.path}});
        expect(native!.status, native!.error).toBe("ok");
        expect(native!.config).toMatchObject({nDepth: 64, typeK: "q8_0", typeV: "q4_0", ubatchSize: 8, useMmap: false});
    });
});
