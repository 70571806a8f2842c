// The depth, KV-cache type, micro-batch and mmap axes on real llama.cpp runs (prebuilt CPU binaries), on a tiny
// synthetic model written by the test.
import {describe, expect, it} from "vitest";
import {BenchSession} from "../../src-main/engine/bench/BenchSession.js";
import {measureTest} from "../../src-main/engine/bench/measureTest.js";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import type {KvCacheType, TestConfig} from "../../src-main/engine/types.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-axes-");

describe("sweep axes on a real model", () => {
    it("creates the KV cache of the asked types, sized for the depth, and times only the prompt and generation", async () => {
        const session = await BenchSession.create({gpu: "cpu", binary: "prebuilt"});
        try {
            const base: TestConfig = {modelPath: tiny.model, gpuLayers: 0, threads: 1, batchSize: 64, nPrompt: 16, nGen: 8, reps: 2, flashAttention: true};
            const kinds: Array<[KvCacheType, KvCacheType]> = [["f16", "f16"], ["q8_0", "q8_0"], ["q4_0", "q8_0"]];
            for (const [typeK, typeV] of kinds) {
                const mark = session.logMark();
                const measured = await measureTest(session, {...base, nDepth: 300, typeK, typeV});
                // llama.cpp's own line on the cache it made: "K (q8_0): ... MiB, V (q8_0): ... MiB"
                const kvLine = session.logSince(mark).find((line) => /K \(\w+\): .* V \(\w+\):/.test(line));
                expect(kvLine, `no KV cache line for ${typeK}/${typeV}`).toMatch(new RegExp(`K \\(${typeK}\\):.*V \\(${typeV}\\):`));
                // the depth, the prompt and the generated tokens (defaultContextSize, as llama-bench)
                expect(measured.contextSize).toBe(300 + 16 + 8);
                expect(measured.samples).toHaveLength(2);
                for (const sample of measured.samples) {
                    // the depth is filled untimed: llama.cpp's prompt counter holds the 16 timed tokens only
                    expect(sample.llama?.promptEvalTokens).toBe(16);
                    expect(sample.llama?.evalRuns).toBe(8);
                    expect(sample.genTokens).toBe(8);
                }
            }
        } finally {
            await session.dispose();
        }
    });

    it("refuses a quantized V cache without flash attention before loading, and runs depth, micro-batch and mmap as asked", async () => {
        const results = await runSweep({
            models: [tiny.model], gpuLayers: [0], threads: [1], batchSizes: [64], nPrompt: [16], nGen: [8], reps: 1,
            flashAttention: [false, true], nDepth: [300], cacheTypeK: ["q8_0"], cacheTypeV: ["q8_0"], ubatchSizes: [8], useMmap: [false]
        }, {gpu: "cpu"});
        expect(results).toHaveLength(2);
        const [refused, ran] = results;
        expect(refused!.status).toBe("error");
        expect(refused!.error).toBe(`${tiny.model}: a quantized V cache (type_v q8_0) needs flash attention, which this test turns off: ` +
            "llama.cpp refuses it (use -fa 1)");
        expect(refused!.load).toBeUndefined();
        expect(ran!.status, ran!.error).toBe("ok");
        expect(ran!.config).toMatchObject({nDepth: 300, typeK: "q8_0", typeV: "q8_0", ubatchSize: 8, useMmap: false, flashAttention: true});
        expect(ran!.samples[0]!.llama?.promptEvalTokens).toBe(16);
        // node-llama-cpp has no n_ubatch: the row says what ran instead
        expect(ran!.notes?.join("; ")).toMatch(/node-llama-cpp 3\.22\.1 has no n_ubatch setting .* n_batch = n_ubatch = 8/);
    });
});
