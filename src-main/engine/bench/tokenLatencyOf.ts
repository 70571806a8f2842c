// A row's per-token latency: what a user waits for each token, where a mean over the repetition hides the stalls.
import type {RepSample, TokenLatency} from "../types.js";
import {percentile} from "./percentile.js";

/**
 * p50, p90, p99 and max (nearest rank, see percentile) over every generated token of every repetition that
 * recorded its tokens' times; null when none did (llama-bench rows, rows from before the times were kept).
 */
export function tokenLatencyOf(samples: readonly RepSample[]): TokenLatency | null {
    const count = samples.reduce((sum, s) => sum + (s.tokenMs?.length ?? 0), 0);
    if (count === 0)
        return null;
    const all = new Float64Array(count);
    let at = 0;
    for (const sample of samples) {
        for (const ms of sample.tokenMs ?? []) {
            if (!Number.isFinite(ms))
                throw new RangeError(`tokenLatencyOf: non-finite token time ${ms}`);
            all[at++] = ms;
        }
    }
    all.sort(); // a typed array sorts numerically
    return {tokens: count, p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99), max: all[count - 1]!};
}
