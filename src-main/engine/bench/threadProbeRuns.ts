// The runs a thread probe makes (probeThreads runs them; estimateSweep times them before a sweep). Plain data,
// no imports at run time, so the sweep estimate that the renderer's contract types name stays free of Node.
import type {TestConfig} from "../types.js";

/** Generated tokens per probe run: enough for a steady per-token rate, few enough to cost seconds on a 7B. */
export const probeTokens = 16;
/** Alternating rounds (ascending, then descending): a neighbour's burst slows one run, rarely both. */
export const probeRounds = 2;

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

/**
 * The runs a probe makes, in order: every candidate count, ascending then descending, each a short generation
 * on the test's own settings. One list for the probe itself and for the sweep estimate that times it.
 * Empty on one core (nothing to choose).
 */
export function threadProbeRuns(config: Omit<TestConfig, "threads">, physicalCores: number): TestConfig[] {
    const candidates = threadCandidates(physicalCores);
    if (candidates.length === 1)
        return [];
    const depth = Math.min(config.nPrompt, probeTokens);
    const runs: TestConfig[] = [];
    for (let round = 0; round < probeRounds; round++)
        for (const threads of round % 2 === 0 ? candidates : [...candidates].reverse())
            // at depth 0 whatever the test's depth: a short, comparable run per count
            runs.push({...config, threads, nPrompt: depth, nGen: probeTokens, reps: 1, contextSize: undefined, nDepth: 0});
    return runs;
}

/** Tests sharing this key share one probe: the same model load and context settings (threads and tokens aside). */
export function threadProbeKey(test: Pick<TestConfig, "modelPath" | "gpuLayers" | "batchSize" | "flashAttention" | "typeK" | "typeV" | "ubatchSize" | "useMmap">): string {
    return JSON.stringify([test.modelPath, test.gpuLayers, test.batchSize, test.flashAttention, test.typeK ?? null, test.typeV ?? null,
        test.ubatchSize ?? null, test.useMmap ?? null]);
}
