// Real llama.cpp (prebuilt CPU binaries) in this process, on a tiny synthetic model written by the test.
import {describe, expect, it} from "vitest";
import {BenchSession} from "../../src-main/engine/bench/BenchSession.js";
import {runTest} from "../../src-main/engine/bench/runTest.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-runtest-");

describe("runTest", () => {
    it("runs llama.cpp with the batch capped at the context it asked for, as llama.cpp and llama-bench do", async () => {
        const session = await BenchSession.create({gpu: "cpu", binary: "prebuilt"});
        try {
            const mark = session.logMark();
            const measured = await runTest(session, {
                modelPath: tiny.model, gpuLayers: 0, threads: 1, batchSize: 512, nPrompt: 16, nGen: 8, reps: 1, flashAttention: false
            });
            // node-llama-cpp pads the context to 256 cells; without the cap llama.cpp would get n_batch 256.
            expect(measured.contextSize).toBe(256);
            const log = session.logSince(mark).join("\n");
            expect(log).toMatch(/n_batch\s+=\s+25\b/);
            expect(log).toMatch(/n_ubatch\s+=\s+25\b/);
        } finally {
            await session.dispose();
        }
    });
});
