import {describe, expect, it} from "vitest";
import {chooseThreads, probeThreads} from "../../src-main/engine/bench/probeThreads.js";
import {threadCandidates, threadProbeRuns} from "../../src-main/engine/bench/threadProbeRuns.js";
import {formatThreadProbe} from "../../src-main/engine/bench/formatThreadProbe.js";
import type {TestConfig} from "../../src-main/engine/types.js";
import type {WorkerTestOutcome} from "../../src-main/engine/bench/BenchWorkerClient.js";

const base: Omit<TestConfig, "threads"> = {
    modelPath: "/m/small.gguf", gpuLayers: 0, batchSize: 512, nPrompt: 128, nGen: 32, reps: 3, flashAttention: false
};

/** A fake worker whose generation takes `msPerToken(threads)` per token. */
function fakeRun(msPerToken: (threads: number, call: number) => number) {
    const calls: TestConfig[] = [];
    const run = async (config: TestConfig): Promise<WorkerTestOutcome> => {
        calls.push(config);
        const tgMs = msPerToken(config.threads, calls.length) * config.nGen;
        return {
            cancelled: false,
            measurement: {
                load: {ms: 1, pageCache: "warm", gpuLayers: 0}, contextSize: 256,
                samples: [{promptTokens: config.nPrompt, ppMs: 1, ttftMs: 2, genTokens: config.nGen, tgMs}]
            }
        };
    };
    return {run, calls};
}

describe("threadCandidates", () => {
    it("tries every count up to 8 cores, then powers of two and the core count", () => {
        expect(threadCandidates(1)).toEqual([1]);
        expect(threadCandidates(2)).toEqual([1, 2]);
        expect(threadCandidates(6)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(threadCandidates(12)).toEqual([1, 2, 4, 8, 12]);
    });
});

describe("chooseThreads", () => {
    it("takes the fastest, and the fewest threads among near ties", () => {
        expect(chooseThreads(new Map([[1, 2000], [2, 75]]))).toBe(1);
        expect(chooseThreads(new Map([[1, 12], [2, 21]]))).toBe(2);
        expect(chooseThreads(new Map([[1, 20], [2, 20.2], [3, 30], [4, 30.3]]))).toBe(3);
    });
});

describe("probeThreads", () => {
    it("runs short generations at each count in alternating rounds on the test's settings, and keeps each count's best", async () => {
        // 2 threads collapse (the small-model case), except in one lucky run
        const {run, calls} = fakeRun((threads, call) => (threads === 1 ? 0.5 : call === 4 ? 0.4 : 13));
        const probe = await probeThreads({config: base, physicalCores: 2, run});
        expect(calls.map((c) => c.threads)).toEqual([1, 2, 2, 1]);
        for (const call of calls)
            expect(call).toMatchObject({modelPath: base.modelPath, batchSize: 512, flashAttention: false, nGen: 16, nPrompt: 16, reps: 1});
        expect(probe?.candidates).toEqual([{threads: 1, tgTps: 2000}, {threads: 2, tgTps: 76.92307692307692}]);
        expect(probe?.chosen).toBe(1);
        expect(formatThreadProbe(probe!)).toBe("1: 2000.0 t/s, 2: 76.9 t/s → 1");
    });

    it("picks more threads where they are faster", async () => {
        const {run} = fakeRun((threads) => 50 / threads);
        expect((await probeThreads({config: base, physicalCores: 4, run}))?.chosen).toBe(4);
    });

    it("gives up (null) when a run fails, so the tests themselves report why", async () => {
        const probe = await probeThreads({config: base, physicalCores: 2, run: async () => ({cancelled: false, error: "cannot load model"})});
        expect(probe).toBeNull();
    });

    it("stops when cancelled", async () => {
        const controller = new AbortController();
        const {run, calls} = fakeRun(() => 1);
        const probe = await probeThreads({config: base, physicalCores: 2, signal: controller.signal, run: async (config) => {
            controller.abort();
            return run(config);
        }});
        expect(probe).toBeNull();
        expect(calls).toHaveLength(1);
    });

    it("needs no runs on one core", async () => {
        const {run, calls} = fakeRun(() => 1);
        expect((await probeThreads({config: base, physicalCores: 1, run}))?.chosen).toBe(1);
        expect(calls).toHaveLength(0);
    });
});

describe("threadProbeRuns", () => {
    it("lists the runs the probe makes, in its order, and none on one core", async () => {
        expect(threadProbeRuns(base, 1)).toEqual([]);
        const runs = threadProbeRuns(base, 3);
        expect(runs.map((run) => run.threads)).toEqual([1, 2, 3, 3, 2, 1]);
        const {run, calls} = fakeRun(() => 1);
        await probeThreads({config: base, physicalCores: 3, run});
        expect(calls).toEqual(runs);
    });
});
