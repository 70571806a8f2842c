// Finds a model's fastest thread count before its tests run. On a small machine the thread count decides
// everything, and the fastest count depends on the model: on a 2-core VM a 15 MB model generated at 0.09 of its
// 1-thread rate with 2 threads through node-llama-cpp, while a 1B model was fastest with 2. No default holds
// for every model, so measure: short generation runs at each candidate count, on the model already loaded.
import type {TestConfig, ThreadProbe} from "../types.js";
import type {WorkerTestOutcome} from "./BenchWorkerClient.js";
import {sampleTgTps} from "./sampleRates.js";
import {probeRounds, probeTokens, threadCandidates, threadProbeRuns} from "./threadProbeRuns.js";

/** Counts within this share of the fastest are ties, won by the fewer threads (they leave cores free). */
const tieShare = 0.02;

export interface ProbeThreadsOptions {
    /** The test whose threads are being chosen: its model, GPU layers, batch and flash attention are kept. */
    config: Omit<TestConfig, "threads">,
    physicalCores: number,
    /** Runs one probe test on the worker that holds the model (the sweep's own runner). */
    run: (config: TestConfig) => Promise<WorkerTestOutcome>,
    signal?: AbortSignal,
    onProgress?: (message: string) => void
}

/**
 * Runs the probe and returns what it found, or null when it could not measure (a failed load: the tests
 * themselves then report why) or was cancelled.
 */
export async function probeThreads(options: ProbeThreadsOptions): Promise<ThreadProbe | null> {
    const {config, run, signal, onProgress} = options;
    const candidates = threadCandidates(options.physicalCores);
    if (candidates.length === 1)
        return {candidates: [], chosen: candidates[0]!, method: "one core: nothing to choose"};

    const runs = threadProbeRuns(config, options.physicalCores);
    const best = new Map<number, number>();
    for (const [index, probeConfig] of runs.entries()) {
        if (signal?.aborted)
            return null;
        const round = Math.floor(index / candidates.length);
        onProgress?.(`probing threads: ${probeConfig.threads} of ${candidates.join(", ")} (round ${round + 1}/${probeRounds})`);
        const outcome = await run(probeConfig);
        const sample = outcome.measurement?.samples[0];
        if (sample == null || sample.genTokens === 0)
            return null;
        const rate = sampleTgTps(sample);
        best.set(probeConfig.threads, Math.max(best.get(probeConfig.threads) ?? 0, rate));
    }
    const depth = runs[0]!.nPrompt;
    return {
        candidates: candidates.map((threads) => ({threads, tgTps: best.get(threads)!})),
        chosen: chooseThreads(best),
        method: `${probeTokens} generated tokens at depth ${depth}, end-to-end rate, best of ${probeRounds} alternating rounds`
    };
}

/** The fastest count; within tieShare of the fastest, the fewest threads. */
export function chooseThreads(rates: ReadonlyMap<number, number>): number {
    const fastest = Math.max(...rates.values());
    const contenders = [...rates].filter(([, rate]) => rate >= fastest * (1 - tieShare)).map(([threads]) => threads);
    return Math.min(...contenders);
}
