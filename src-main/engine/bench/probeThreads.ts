// Finds a model's fastest thread count before its tests run. On a small machine the thread count decides
// everything, and the fastest count depends on the model: on a 2-core VM a 15 MB model generated at 0.09 of its
// 1-thread rate with 2 threads through node-llama-cpp, while a 1B model was fastest with 2. No default holds
// for every model, so measure: short generation runs at each candidate count, on the model already loaded.
import type {TestConfig, ThreadProbe} from "../types.js";
import type {WorkerTestOutcome} from "./BenchWorkerClient.js";
import {sampleTgTps} from "./sampleRates.js";

/** Generated tokens per probe run: enough for a steady per-token rate, few enough to cost seconds on a 7B. */
const probeTokens = 16;
/** Alternating rounds (ascending, then descending): a neighbour's burst slows one run, rarely both. */
const probeRounds = 2;
/** Counts within this share of the fastest are ties, won by the fewer threads (they leave cores free). */
const tieShare = 0.02;

/** The counts a probe tries: every count up to 8 physical cores, then powers of two and the core count. */
export function threadCandidates(physicalCores: number): number[] {
    const cores = Math.max(1, Math.floor(physicalCores));
    if (cores <= 8)
        return Array.from({length: cores}, (_, i) => i + 1);
    const candidates = new Set<number>();
    for (let t = 1; t < cores; t *= 2)
        candidates.add(t);
    candidates.add(cores);
    return [...candidates].sort((a, b) => a - b);
}

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

    const depth = Math.min(config.nPrompt, probeTokens);
    const best = new Map<number, number>();
    for (let round = 0; round < probeRounds; round++) {
        const order = round % 2 === 0 ? candidates : [...candidates].reverse();
        for (const threads of order) {
            if (signal?.aborted)
                return null;
            onProgress?.(`probing threads: ${threads} of ${candidates.join(", ")} (round ${round + 1}/${probeRounds})`);
            const outcome = await run({...config, threads, nPrompt: depth, nGen: probeTokens, reps: 1, contextSize: undefined, nDepth: 0});
            const sample = outcome.measurement?.samples[0];
            if (sample == null || sample.genTokens === 0)
                return null;
            const rate = sampleTgTps(sample);
            best.set(threads, Math.max(best.get(threads) ?? 0, rate));
        }
    }
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
