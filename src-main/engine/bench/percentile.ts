// Percentiles of measured times. Pure (no Node imports): the renderer uses it too.

/**
 * The p-th percentile (0 < p <= 100) of values sorted ascending, by the nearest-rank method: the smallest value
 * with at least p % of the values at or below it, sorted[ceil(p / 100 * n) - 1].
 *
 * Nearest rank, not interpolation: every percentile is a time some token really took, so a p99 is a wait a user
 * had, and p50 <= p90 <= p99 <= max holds by construction. With fewer than 100 values p99 is the maximum
 * (ceil(0.99 * n) = n), as it should be: there is no 1 % tail to leave out. NaN for an empty list.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
    if (!(p > 0 && p <= 100))
        throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
    const n = sorted.length;
    if (n === 0)
        return Number.NaN;
    return sorted[Math.max(0, Math.ceil(p / 100 * n) - 1)]!;
}
