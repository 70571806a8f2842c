// Summary statistics over one metric's per-repetition values (tokens/s, ms, ...).
import type {Stats} from "../types.js";

/**
 * n, mean, sample standard deviation (n - 1 denominator, 0 when n < 2), median (mean of the two
 * middle values when n is even), min and max.
 *
 * Throws a RangeError on an empty list or a non-finite value: a summary of nothing, or of a division
 * by zero, would be a made-up number in the results file, so the caller must decide what to record.
 */
export function computeStats(values: readonly number[]): Stats {
    if (values.length === 0)
        throw new RangeError("computeStats: no values");

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
