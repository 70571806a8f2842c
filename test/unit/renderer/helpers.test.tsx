// @vitest-environment happy-dom
import {describe, expect, it} from "vitest";
import {benchProgress, emptyRunProgress} from "../../../src-renderer/benchProgress.js";
import {countTests, specFrom} from "../../../src-renderer/BenchmarkPanel.js";
import {explainRow} from "../../../src-renderer/explainRow.js";
import {formatBytes, formatDuration, formatNumber, formatStat} from "../../../src-renderer/format.js";
import {parseList} from "../../../src-renderer/parseList.js";
import {resultFixture, stats} from "./fixtures.js";

describe("benchProgress", () => {
    it("folds a run's events, keeps runs apart and ignores synth events", () => {
        const row = resultFixture({runId: "a"});
        let runs = benchProgress({}, {channel: "bench", runId: "a", event: {type: "plan", tests: 2, totalReps: 6}});
        runs = benchProgress(runs, {channel: "bench", runId: "b", event: {type: "plan", tests: 9, totalReps: 27}});
        runs = benchProgress(runs, {channel: "bench", runId: "a", event: {type: "progress", done: 2, total: 6, etaMs: 1000, message: "m"}});
        runs = benchProgress(runs, {channel: "bench", runId: "a", event: {type: "test-end", index: 0, result: row}});
        runs = benchProgress(runs, {channel: "bench", runId: "a", event: {type: "test-end", index: 0, result: row}});
        const same = benchProgress(runs, {channel: "synth", jobId: "j", writtenBytes: 1, totalBytes: 2, done: false});
        expect(same).toBe(runs);
        expect(runs.a).toMatchObject({tests: 2, done: 2, total: 6, etaMs: 1000, message: "m", finished: false});
        expect(runs.a?.results).toEqual([row]);
        expect(runs.b?.tests).toBe(9);
        runs = benchProgress(runs, {channel: "bench", runId: "a", event: {type: "done", results: [row], cancelled: true}});
        expect(runs.a).toMatchObject({finished: true, cancelled: true, done: 2, results: [row]});
    });

    it("starts from an empty state for a run it has not seen", () => {
        expect(emptyRunProgress("x")).toMatchObject({runId: "x", tests: 0, results: [], finished: false});
    });
});

describe("explainRow", () => {
    it("shows the engine's line on the gap, as the runner stored it", () => {
        const row = resultFixture({tg: 32.8, ceilingTps: 40});
        expect(explainRow(row)).toBe("memory-bound: 82% of the measured-bandwidth ceiling; prompt processing is compute-bound (6.0× the generation rate)");
        // Whatever the engine wrote: the renderer does not reason about the ceiling itself.
        row.ceiling!.explanation = "partial offload: 25% of the split ceiling; time outside llama.cpp (sampling, the binding) takes 40% of each token, so the end-to-end rate is below the decode rate";
        expect(explainRow(row)).toBe("partial offload: 25% of the split ceiling; time outside llama.cpp (sampling, the binding) takes 40% of each token, so the end-to-end rate is below the decode rate");
    });

    it("gives failures, cancellations and rows without a ceiling or its line in plain words", () => {
        expect(explainRow(resultFixture({status: "error", error: "bad.gguf: not a GGUF file"}))).toBe("failed: bad.gguf: not a GGUF file");
        expect(explainRow(resultFixture({status: "error"}))).toBe("failed: no reason given");
        expect(explainRow(resultFixture({status: "cancelled"}))).toBe("cancelled before it finished");
        expect(explainRow(resultFixture({ceiling: undefined}))).toMatch(/^no ceiling: the model or the machine was not known/);
        expect(explainRow(resultFixture({ceilingTps: null}))).toMatch(/^no ceiling: the memory bandwidth is unknown/);
        const imported = resultFixture();
        delete imported.ceiling!.explanation;
        expect(explainRow(imported)).toBe("cpu-memory: no explanation recorded with this row");
    });
});

describe("parseList and specFrom", () => {
    it("reads lists with max, and names the field in errors", () => {
        expect(parseList("0, 8,max", {label: "GPU layers", min: 0, allowMax: true})).toEqual([0, 8, "max"]);
        expect(() => parseList("1,max", {label: "Threads", min: 1})).toThrow('Threads: "max" is not a whole number');
        expect(() => parseList("0", {label: "Threads", min: 1})).toThrow("Threads: 0 is below 1");
        expect(() => parseList(" ", {label: "Threads", min: 1})).toThrow("Threads: enter at least one value");
    });

    it("builds a SweepSpec from the advanced fields", () => {
        const fields = {models: "/m/a.gguf\n\n/m/b.gguf", gpuLayers: "0,max", threads: "1,2", batchSizes: "512", nPrompt: "16",
            nGen: "8", reps: "2", faOff: true, faOn: true, engineNode: true, engineNative: false, nativeWhereShort: false, contextSize: "256",
            nDepth: "0", cacheTypeK: "f16", cacheTypeV: "f16", ubatchSizes: "", mmapOn: true, mmapOff: false, gpuDevice: "", gpuBandwidth: "", vramBudget: ""};
        expect(specFrom(fields)).toEqual({models: ["/m/a.gguf", "/m/b.gguf"], gpuLayers: [0, "max"], threads: [1, 2], batchSizes: [512],
            nPrompt: [16], nGen: [8], reps: 2, flashAttention: [false, true], contextSize: 256});
        expect(() => specFrom({...fields, faOff: false, faOn: false})).toThrow("Flash attention: tick off, on or both");
        expect(() => specFrom({...fields, reps: "1,2"})).toThrow("Repetitions: enter one number");
        // llama.cpp's own llama-bench beside LlamaMeter, or alone; never neither
        expect(specFrom({...fields, engineNative: true}).engines).toEqual(["llamameter", "llama-bench"]);
        expect(specFrom({...fields, engineNode: false, engineNative: true}).engines).toEqual(["llama-bench"]);
        expect(() => specFrom({...fields, engineNode: false})).toThrow("Engine: tick LlamaMeter, llama-bench or both");
        // llama-bench beside the rows node-llama-cpp falls short on: with LlamaMeter alone only
        expect(specFrom({...fields, nativeWhereShort: true}).nativeWhereShort).toBe(true);
        expect(specFrom({...fields, nativeWhereShort: true, engineNative: true}).nativeWhereShort).toBeUndefined();
        // The GPU choice, as the CLI's --gpu-device / --gpu-bandwidth / --vram-budget take it
        expect(specFrom({...fields, gpuDevice: "1", gpuBandwidth: "68.25", vramBudget: "1.5"})).toMatchObject({gpuDevice: "1", gpuBandwidthGBs: 68.25, vramBudgetBytes: 1.5 * 1024 ** 3});
        expect(() => specFrom({...fields, gpuBandwidth: "fast"})).toThrow('GPU bandwidth, GB/s: "fast" is not a number above 0');
        expect(() => specFrom({...fields, vramBudget: "0"})).toThrow('VRAM budget, GiB: "0" is not a number above 0');
    });

    it("adds the depth, KV-cache, micro-batch and mmap axes only when they leave their defaults, naming the field in errors", () => {
        const fields = {models: "/m/a.gguf", gpuLayers: "0", threads: "1", batchSizes: "512", nPrompt: "16", nGen: "8", reps: "2",
            faOff: false, faOn: true, engineNode: true, engineNative: false, nativeWhereShort: false, contextSize: "",
            nDepth: "0,256 1024", cacheTypeK: "f16,q8_0", cacheTypeV: "q4_0", ubatchSizes: "128,512", mmapOn: true, mmapOff: true, gpuDevice: "", gpuBandwidth: "", vramBudget: ""};
        expect(specFrom(fields)).toMatchObject({nDepth: [0, 256, 1024], cacheTypeK: ["f16", "q8_0"], cacheTypeV: ["q4_0"],
            ubatchSizes: [128, 512], useMmap: [true, false]});
        const plain = specFrom({...fields, nDepth: "0", cacheTypeK: "f16", cacheTypeV: "f16", ubatchSizes: " ", mmapOff: false});
        for (const key of ["nDepth", "cacheTypeK", "cacheTypeV", "ubatchSizes", "useMmap"])
            expect(plain).not.toHaveProperty(key);
        expect(() => specFrom({...fields, cacheTypeV: "q5_1"})).toThrow('V cache type: "q5_1" is not a KV-cache type (use f16, q8_0, q4_0)');
        expect(() => specFrom({...fields, mmapOn: false, mmapOff: false})).toThrow("Model file: tick memory-mapped, read into memory or both");
        expect(countTests(specFrom(fields))).toBe(3 * 2 * 1 * 2 * 2);
    });
});

describe("explainRow's notes", () => {
    it("adds what a row could not apply as asked to its why text", () => {
        const note = "node-llama-cpp 3.22.1 has no n_ubatch setting (it sets n_ubatch = n_batch): this row's context ran n_batch = n_ubatch = 128";
        const row = resultFixture({notes: [note]});
        expect(explainRow(row).split("; ")).toContain(note);
        expect(explainRow(resultFixture())).not.toContain("n_ubatch");
    });
});

describe("format", () => {
    it("rounds for reading", () => {
        expect(formatBytes(5_000_000)).toBe("4.77 MiB");
        expect(formatBytes(null)).toBe("unknown");
        expect(formatNumber(1234.5)).toBe("1235");
        expect(formatNumber(0.01234)).toBe("0.0123");
        expect(formatStat(stats(12.34, 0.5, 3))).toBe("12.3 ± 0.5");
        expect(formatStat(stats(15363, 6.8, 2))).toBe("15363 ± 7");
        expect(formatStat(stats(0.242, 0.0041, 2))).toBe("0.242 ± 0.004");
        expect(formatStat(stats(12.34, 0, 1))).toBe("12.3");
        expect(formatDuration(95_000)).toBe("1 min 35 s");
        expect(formatDuration(null)).toBe("estimating…");
    });
});
