// Summary statistics over one metric's per-repetition values (tokens/s, ms, ...).
import type {Stats} from "../types.js";

/** The median of the values; NaN for none. */
export function median(values: readonly number[]): number {
    return computeStats(values).median;
}

/**
 * n, mean, sample standard deviation (n - 1 denominator, 0 when n < 2), median (mean of the two
 * middle values when n is even), min and max.
 *
 * An empty list (e.g. prompt speed of a test with nPrompt = 0) gives n = 0 and NaN for every other
 * field: nothing was measured, and NaN (null once in JSON) says so where a 0 would claim a speed.
 * Throws a RangeError on a non-finite value: that is a division by zero upstream, a bug to surface.
 */
export function computeStats(values: readonly number[]): Stats {
    if (values.length === 0)
        return {n: 0, mean: Number.NaN, sd: Number.NaN, median: Number.NaN, min: Number.NaN, max: Number.NaN};

    for (const value of values) {
        if (!Number.isFinite(value))
            throw new RangeError(`computeStats: non-finite value ${value}`);
    }

    const n = values.length;
    const sorted = [...values].sort((a, b) => a - b);
    const mean = values.reduce((sum, value) => sum + value, 0) / n;

    // Two passes (mean first, then squared deviations): the one-pass sum-of-squares formula loses
    // precision when the spread is small next to the mean, as with repeated t/s measurements.
    let squares = 0;
    for (const value of values)
        squares += (value - mean) ** 2;

    const sd = n < 2 ? 0 : Math.sqrt(squares / (n - 1));
    const middle = Math.floor(n / 2);
    const median = n % 2 === 1
        ? sorted[middle]!
        : (sorted[middle - 1]! + sorted[middle]!) / 2;

    return {n, mean, sd, median, min: sorted[0]!, max: sorted[n - 1]!};
}
