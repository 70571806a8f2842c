import {describe, expect, it} from "vitest";
import {countSweepTests, expandSweep, loadKey} from "../../src-main/engine/bench/expandSweep.js";
import type {SweepSpec} from "../../src-main/engine/types.js";

const spec: SweepSpec = {
    models: ["/m/a.gguf", "/m/b.gguf"],
    gpuLayers: [0, "max"],
    threads: [1, 2],
    batchSizes: [512],
    nPrompt: [64, 512],
    nGen: [16],
    reps: 3,
    flashAttention: [false, true]
};

describe("expandSweep", () => {
    it("makes the full cartesian product", () => {
        const tests = expandSweep(spec);
        expect(tests).toHaveLength(2 * 2 * 2 * 1 * 2 * 1 * 2);
        const keys = new Set(tests.map((t) => JSON.stringify(t)));
        expect(keys.size).toBe(tests.length);
    });

    it("reloads each (model, gpuLayers) pair exactly once", () => {
        const tests = expandSweep(spec);
        let reloads = 0;
        for (let i = 0; i < tests.length; i++) {
            if (i === 0 || loadKey(tests[i]!) !== loadKey(tests[i - 1]!))
                reloads++;
        }
        expect(reloads).toBe(spec.models.length * spec.gpuLayers.length);
    });

    it("orders model, gpuLayers, threads, batch, flash attention, then nPrompt / nGen", () => {
        const tests = expandSweep(spec);
        expect(tests.slice(0, 5).map((t) => [t.modelPath, t.gpuLayers, t.threads, t.flashAttention, t.nPrompt])).toEqual([
            ["/m/a.gguf", 0, 1, false, 64],
            ["/m/a.gguf", 0, 1, false, 512],
            ["/m/a.gguf", 0, 1, true, 64],
            ["/m/a.gguf", 0, 1, true, 512],
            ["/m/a.gguf", 0, 2, false, 64]
        ]);
        expect(tests[8]!.gpuLayers).toBe("max");
        expect(tests[16]!.modelPath).toBe("/m/b.gguf");
    });

    it("sets contextSize to nPrompt + nGen by default and copies reps", () => {
        const tests = expandSweep(spec);
        expect(tests[0]).toEqual({
            modelPath: "/m/a.gguf", gpuLayers: 0, threads: 1, batchSize: 512, contextSize: 80,
            nPrompt: 64, nGen: 16, reps: 3, flashAttention: false,
            // what ran before these axes existed, said in every row
            nDepth: 0, typeK: "f16", typeV: "f16", ubatchSize: 512, useMmap: true
        });
        expect(tests[1]!.contextSize).toBe(528);
    });

    it("sweeps depth, KV-cache types, micro-batch and mmap, with mmap outermost after the model and depth innermost", () => {
        const tests = expandSweep({...spec, models: ["/m/a.gguf"], gpuLayers: [0], threads: [1], nPrompt: [64], flashAttention: [true],
            nDepth: [0, 256], cacheTypeK: ["f16", "q8_0"], cacheTypeV: ["q4_0"], ubatchSizes: [128, 512], useMmap: [false, true]});
        expect(tests).toHaveLength(2 * 2 * 1 * 2 * 2);
        expect(tests.slice(0, 3).map((t) => [t.useMmap, t.ubatchSize, t.typeK, t.typeV, t.nDepth])).toEqual([
            [false, 128, "f16", "q4_0", 0],
            [false, 128, "f16", "q4_0", 256],
            [false, 128, "q8_0", "q4_0", 0]
        ]);
        expect(tests[8]!.useMmap).toBe(true);
        // the context holds the depth too, as llama-bench's n_prompt + n_gen + n_depth
        expect(tests[1]!.contextSize).toBe(256 + 64 + 16);
        // mmap is a load setting: one load per (model, mmap, gpuLayers), no more
        expect(new Set(tests.map(loadKey)).size).toBe(2);
        let reloads = 0;
        tests.forEach((t, i) => { if (i === 0 || loadKey(t) !== loadKey(tests[i - 1]!)) reloads++; });
        expect(reloads).toBe(2);
        expect(countSweepTests({...spec, nDepth: [0, 256], cacheTypeK: ["f16", "q8_0"], cacheTypeV: ["f16", "q8_0", "q4_0"], ubatchSizes: [128, 512], useMmap: [false, true]}))
            .toBe(expandSweep(spec).length * 2 * 2 * 3 * 2 * 2);
    });

    it("refuses a context too small for the depth in one line", () => {
        expect(() => expandSweep({...spec, contextSize: 600, nDepth: [512]})).toThrow("Context size 600 cannot hold n_depth 512 + n_prompt 512 + n_gen 16 tokens");
    });

    it("uses the sweep's contextSize when given and refuses one too small", () => {
        expect(expandSweep({...spec, contextSize: 4096}).every((t) => t.contextSize === 4096)).toBe(true);
        expect(() => expandSweep({...spec, contextSize: 256})).toThrow(/cannot hold n_prompt 512/);
    });

    it("skips combinations that measure nothing", () => {
        const tests = expandSweep({...spec, models: ["/m/a.gguf"], gpuLayers: [0], threads: [1], flashAttention: [false],
            nPrompt: [0, 128], nGen: [0, 32]});
        expect(tests.map((t) => [t.nPrompt, t.nGen])).toEqual([[0, 32], [128, 0], [128, 32]]);
    });
});

describe("loadKey", () => {
    it("changes with the mmap setting, and keeps an mmapped load's key as it was", () => {
        const a = {modelPath: "/m/a.gguf", gpuLayers: 0 as const};
        expect(loadKey({...a, useMmap: true})).toBe(loadKey(a));
        expect(loadKey({...a, useMmap: false})).not.toBe(loadKey(a));
    });

    it("changes with model or gpuLayers only", () => {
        const a = {modelPath: "/m/a.gguf", gpuLayers: 0 as const};
        expect(loadKey(a)).toBe(loadKey({...a}));
        expect(loadKey(a)).not.toBe(loadKey({...a, gpuLayers: "max"}));
        expect(loadKey(a)).not.toBe(loadKey({...a, modelPath: "/m/b.gguf"}));
        // No separator trick can make two different pairs collide.
        expect(loadKey({modelPath: "x\u00000", gpuLayers: 1})).not.toBe(loadKey({modelPath: "x", gpuLayers: 0}));
    });
});

describe("the sweep-size cap (issue 13, Broken 1)", () => {
    const many = (n: number) => Array.from({length: n}, (_, i) => i + 1);
    // The audit's probe: 32 models x 64 layer counts x 32 threads x 32 x 32 = 67 million tests.
    const huge: SweepSpec = {
        models: many(32).map((i) => `/m/${i}.gguf`), gpuLayers: many(64), threads: many(32), batchSizes: [512],
        nPrompt: many(32), nGen: many(32), reps: 1, flashAttention: [false]
    };

    it("counts the tests without expanding, leaving out p = n = 0", async () => {
        const {countSweepTests} = await import("../../src-main/engine/bench/expandSweep.js");
        expect(countSweepTests(spec)).toBe(expandSweep(spec).length);
        const withZeros = {...spec, nPrompt: [0, 64], nGen: [0, 16]};
        expect(countSweepTests(withZeros)).toBe(expandSweep(withZeros).length);
        expect(countSweepTests(huge)).toBe(67_108_864);
    });

    it("refuses a sweep over the cap at once, in one line with the count", async () => {
        const {MAX_SWEEP_TESTS} = await import("../../src-main/engine/bench/expandSweep.js");
        const started = Date.now();
        expect(() => expandSweep(huge)).toThrow(/^the sweep has 67,108,864 tests \(32 models x 64 GPU layer counts x 32 thread counts.*at most 10,000/);
        expect(Date.now() - started).toBeLessThan(1000);
        expect(MAX_SWEEP_TESTS).toBe(10_000);
        // exactly at the cap still expands
        const atCap = {...spec, models: ["/m/a.gguf"], gpuLayers: [0], threads: many(10), batchSizes: many(10), flashAttention: [false], nPrompt: many(10), nGen: many(10)};
        expect(expandSweep(atCap)).toHaveLength(10_000);
        expect(() => expandSweep({...atCap, nGen: many(11)})).toThrow(/11,000 tests/);
    });
});
