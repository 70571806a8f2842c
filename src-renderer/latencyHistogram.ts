// The bins of a row's per-token latency strip (TokenLatencyStrip): on a log scale, so the bulk of tokens keeps its
// shape and a stall ten times slower still gets its own bar instead of squeezing everything into the first.

export interface LatencyBin {
    /** Bin edges, ms. */
    from: number,
    to: number,
    count: number
}

export interface LatencyHistogram {
    bins: LatencyBin[],
    min: number,
    max: number,
    /** Where a time sits across the strip, 0 (min) to 1 (max), on the bins' scale. */
    position: (ms: number) => number
}

/** `binCount` log-spaced bins from the fastest to the slowest token; one bin when every token took the same. Null for no times. */
export function latencyHistogram(times: readonly number[], binCount: number): LatencyHistogram | null {
    const finite = times.filter((ms) => Number.isFinite(ms) && ms > 0);
    if (finite.length === 0) return null;
    const min = Math.min(...finite);
    const max = Math.max(...finite);
    if (max === min) return {bins: [{from: min, to: max, count: finite.length}], min, max, position: () => 0.5};
    const low = Math.log(min);
    const span = Math.log(max) - low;
    const position = (ms: number) => Math.min(1, Math.max(0, (Math.log(ms) - low) / span));
    const bins: LatencyBin[] = Array.from({length: binCount}, (_, i) => ({
        from: Math.exp(low + span * i / binCount), to: Math.exp(low + span * (i + 1) / binCount), count: 0
    }));
    for (const ms of finite) bins[Math.min(binCount - 1, Math.floor(position(ms) * binCount))]!.count++;
    return {bins, min, max, position};
}
