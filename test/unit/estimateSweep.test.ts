import {describe, expect, it} from "vitest";
import {estimateSweep, sweepWarnings} from "../../src-main/engine/bench/estimateSweep.js";
import type {SweepSpec, TestResult} from "../../src-main/engine/types.js";

const spec: SweepSpec = {
    models: ["/m/a.gguf", "/m/b.gguf"],
    gpuLayers: [0],
    threads: [1, 2],
    batchSizes: [512],
    nPrompt: [100],
    nGen: [10],
    reps: 3,
    flashAttention: [false]
};
const GB = 1e9;
const models = new Map([["/m/a.gguf", {fileBytes: 1 * GB, nLayer: 22}], ["/m/b.gguf", {fileBytes: 2 * GB, nLayer: 32}]]);

/** A finished row of a 1 GB model: tg and pp t/s at `threads`, loaded in `loadMs`. */
function row(threads: number, tg: number, pp: number, loadMs: number, cpu = "Test CPU"): TestResult {
    const stat = (mean: number) => ({n: 3, mean, sd: 0, median: mean, min: mean, max: mean});
    return {
        id: `r${threads}`, timestamp: "2026-01-01T00:00:00Z", status: "ok",
        config: {modelPath: "/m/old.gguf", gpuLayers: 0, threads, batchSize: 512, nPrompt: 100, nGen: 10, reps: 3, flashAttention: false},
        model: {file: "/m/old.gguf", fileName: "old.gguf", fileBytes: GB, parameters: 1e9, weightType: "Q4_0", nLayer: 22, synthetic: true},
        env: {cpu, physicalCores: 2, gpu: "none", backend: "cpu", llamaCppRelease: "b1", nodeLlamaCppVersion: "3", binary: {buildType: "prebuilt", cpuVariant: null, threadRuntime: null}, os: "linux"},
        load: {ms: loadMs, pageCache: "warm", gpuLayers: 0},
        samples: [],
        stats: {ppTps: stat(pp), tgTps: stat(tg), tgDecodeTps: stat(tg), ttftMs: stat(1), tgMsPerToken: stat(1000 / tg), outsideMsPerToken: stat(0)}
    };
}

describe("estimateSweep", () => {
    it("counts tests, passes, model loads and the bytes those loads read", () => {
        const estimate = estimateSweep({...spec, gpuLayers: [0, 4]}, {models, physicalCores: 2, hasGpu: true, bandwidthGBs: 10});
        expect(estimate.tests).toBe(2 * 2 * 2);
        expect(estimate.passes).toBe(8 * 4);
        // (model, gpu layers) changes: a/0, a/4, b/0, b/4.
        expect(estimate.modelLoads).toBe(4);
        expect(estimate.bytesRead).toBe(2 * 1 * GB + 2 * 2 * GB);
        expect(estimate.summary).toMatch(/4 model loads, 5\.59 GiB read$/);
    });

    it("times the sweep from earlier rows, scaled by model size, at the same thread count", () => {
        // 1 GB model: 10 t/s generating, 100 t/s prompt, loaded in 1 s => 10 GB/s "byte rate" for tg, 100 for pp.
        const history = [row(1, 10, 100, 1000), row(2, 20, 200, 1000)];
        const estimate = estimateSweep({...spec, models: ["/m/b.gguf"], threads: [1]}, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: null, history});
        expect(estimate.basis).toBe("history");
        // 2 GB model at 1 thread: tg 5 t/s, pp 50 t/s; 4 passes x (10/5 + 100/50) s = 16 s; load 2 s + worker start 6 s; test 0.05 s.
        expect(estimate.estimatedMs).toBe(16_000 + 2_000 + 6_000 + 50);
        expect(estimate.summary).toMatch(/^≈ 24 s, 1 model load, /);
    });

    it("ignores rows from another machine, and falls back to the bandwidth ceiling as a lower bound", () => {
        const history = [row(1, 10, 100, 1000, "Other CPU")];
        const estimate = estimateSweep({...spec, models: ["/m/a.gguf"], threads: [1]}, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: 10, history, cpu: "Test CPU"});
        expect(estimate.basis).toBe("ceiling");
        expect(estimate.summary).toMatch(/^≥ /);
        const unknown = estimateSweep(spec, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: null});
        expect(unknown.estimatedMs).toBeNull();
        expect(unknown.summary).toMatch(/^time unknown/);
    });

    it("throws on a context that cannot hold the tokens, before anything runs", () => {
        expect(() => estimateSweep({...spec, contextSize: 50}, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: 10})).toThrow(/cannot hold/);
    });
});

describe("sweepWarnings", () => {
    it("warns about threads above the physical cores, GPU layers with no GPU and layers above the model's count", () => {
        const warnings = sweepWarnings({...spec, threads: [1, 2, 4], gpuLayers: [0, 8, 99, "max"]}, {models, physicalCores: 2, hasGpu: false});
        expect(warnings).toHaveLength(4);
        expect(warnings[0]).toMatch(/^threads 4 above the 2 physical cores/);
        expect(warnings[1]).toMatch(/^GPU layers 8, 99, max with no GPU backend/);
        expect(warnings[2]).toMatch(/^GPU layers 99 above a\.gguf's 22 layers/);
        expect(warnings[3]).toMatch(/^GPU layers 99 above b\.gguf's 32 layers/);
    });

    it("says nothing about a plain plan", () => {
        expect(sweepWarnings(spec, {models, physicalCores: 2, hasGpu: false})).toEqual([]);
        expect(sweepWarnings({...spec, gpuLayers: [0, 16]}, {models, physicalCores: 2, hasGpu: true})).toEqual([]);
    });
});

describe("estimateSweep with a model it cannot size", () => {
    it("says which model the figures leave out", () => {
        const estimate = estimateSweep({...spec, models: ["/m/a.gguf", "/m/broken.gguf"]}, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: 10});
        expect(estimate.unknownModels).toEqual(["/m/broken.gguf"]);
        expect(estimate.summary).toMatch(/\(not counting broken\.gguf: unreadable\)$/);
    });
});

describe("estimateSweep's choice of earlier rows", () => {
    it("does not scale from a model of a very different size, nor from a busy row", () => {
        const tiny = {...row(1, 1000, 8000, 250), model: {...row(1, 1, 1, 1).model!, fileBytes: 1e6}};
        const busy = {...row(1, 10, 100, 1000), samples: [{promptTokens: 100, ppMs: 1, ttftMs: 1, genTokens: 10, tgMs: 1, sampleMs: 0, backgroundCores: 1.3}]};
        for (const history of [[tiny], [busy]]) {
            const estimate = estimateSweep({...spec, models: ["/m/a.gguf"], threads: [1]}, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: 10, history});
            expect(estimate.basis).toBe("ceiling");
            // Generation at the ceiling: 1 GB at 10 GB/s = 10 t/s, 4 passes x 10 tokens = 4 s; load 1 s + 6 s; 0.05 s.
            expect(estimate.estimatedMs).toBe(4_000 + 1_000 + 6_000 + 50);
        }
    });
});

describe("estimateSweep with threads auto", () => {
    it("counts the thread probe's runs, once per model load and context setting", () => {
        const auto: SweepSpec = {...spec, models: ["/m/a.gguf"], threads: ["auto"], nPrompt: [100, 200]};
        const estimate = estimateSweep(auto, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: 10});
        const fixed = estimateSweep({...auto, threads: [2]}, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: 10});
        expect(estimate.threadProbes).toBe(1);
        expect(fixed.threadProbes).toBe(0);
        // Generation at the ceiling: 1 GB at 10 GB/s = 10 t/s. The probe: 1 and 2 threads in two rounds = 4 runs,
        // each a warm-up and 1 repetition of 16 tokens (3.2 s) plus 0.05 s: 13 s.
        expect(estimate.threadProbeMs).toBe(4 * (2 * 16 / 10 * 1000 + 50));
        expect(estimate.estimatedMs).toBe(fixed.estimatedMs! + estimate.threadProbeMs);
        expect(estimate.summary).toMatch(/, 1 thread probe \(≥ 13 s of it\)$/);
        expect(fixed.summary).not.toMatch(/probe/);
    });

    it("times no probe on one core (nothing to choose), and one probe per model", () => {
        const auto: SweepSpec = {...spec, threads: ["auto"]};
        expect(estimateSweep(auto, {models, physicalCores: 1, hasGpu: false, bandwidthGBs: 10}).threadProbes).toBe(0);
        const two = estimateSweep(auto, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: 10});
        expect(two.threadProbes).toBe(2);
        expect(two.summary).toMatch(/2 thread probes/);
    });
});
