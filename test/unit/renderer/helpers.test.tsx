// @vitest-environment happy-dom
import {describe, expect, it} from "vitest";
import {benchProgress, emptyRunProgress} from "../../../src-renderer/benchProgress.js";
import {specFrom} from "../../../src-renderer/BenchmarkPanel.js";
import {explainGap} from "../../../src-renderer/explainGap.js";
import {formatBytes, formatDuration, formatNumber, formatStat} from "../../../src-renderer/format.js";
import {parseList} from "../../../src-renderer/parseList.js";
import {hardwareFixture, resultFixture, stats} from "./fixtures.js";

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

describe("explainGap", () => {
    it("says memory-bound with the share of the ceiling, and pp as compute-bound", () => {
        expect(explainGap(resultFixture({tg: 32.8, ceilingTps: 40}), hardwareFixture))
            .toBe("memory-bound: 82% of the ceiling; prompt processing is compute-bound (6.0× the generation rate)");
    });

    it("names threads beyond the physical cores, partial offload, sampling and a broken model", () => {
        const row = resultFixture({threads: 4, tg: 10, ceilingTps: 40});
        row.ceiling!.bound = "mixed";
        row.stats!.sampleMsPerToken = stats(40);
        expect(explainGap(row, hardwareFixture)).toBe("partial offload: CPU layers dominate (25% of the ceiling); threads exceed physical cores (4 > 2); sampling takes 40% of each token; prompt processing is compute-bound (6.0× the generation rate)");
        const over = resultFixture();
        over.ceiling!.modelError = "measured 50 t/s > ceiling 40 t/s: the bandwidth looks too low";
        expect(explainGap(over)).toMatch(/^faster than the ceiling: measured 50/);
    });

    it("gives failures and unknown bandwidth in plain words", () => {
        expect(explainGap(resultFixture({status: "error", error: "bad.gguf: not a GGUF file"}))).toBe("failed: bad.gguf: not a GGUF file");
        expect(explainGap(resultFixture({status: "cancelled"}))).toBe("cancelled before it finished");
        expect(explainGap(resultFixture({ceilingTps: null}))).toMatch(/^no ceiling: the memory bandwidth is unknown here/);
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
            nGen: "8", reps: "2", faOff: true, faOn: true, contextSize: "256"};
        expect(specFrom(fields)).toEqual({models: ["/m/a.gguf", "/m/b.gguf"], gpuLayers: [0, "max"], threads: [1, 2], batchSizes: [512],
            nPrompt: [16], nGen: [8], reps: 2, flashAttention: [false, true], contextSize: 256});
        expect(() => specFrom({...fields, faOff: false, faOn: false})).toThrow("Flash attention: tick off, on or both");
        expect(() => specFrom({...fields, reps: "1,2"})).toThrow("Repetitions: enter one number");
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
