import {describe, expect, it} from "vitest";
import {computeStats} from "../../src-main/engine/bench/stats.js";

// Reference values from Python's statistics module (mean, stdev, median), which match R's mean/sd/median.
describe("computeStats", () => {
    it("matches the textbook sample [2,4,4,4,5,5,7,9]", () => {
        const s = computeStats([2, 4, 4, 4, 5, 5, 7, 9]);
        expect(s.n).toBe(8);
        expect(s.mean).toBe(5);
        expect(s.sd).toBeCloseTo(2.138089935299395, 12);
        expect(s.median).toBe(4.5);
        expect(s.min).toBe(2);
        expect(s.max).toBe(9);
    });

    it("matches reference values for an odd-length sample given unsorted", () => {
        const s = computeStats([41.236, 40.998, 41.502, 41.117, 40.876]);
        expect(s.n).toBe(5);
        expect(s.mean).toBeCloseTo(41.1458, 12);
        expect(s.sd).toBeCloseTo(0.2400420796443841, 12);
        expect(s.median).toBe(41.117);
        expect(s.min).toBe(40.876);
        expect(s.max).toBe(41.502);
    });

    it("matches reference values for three t/s samples", () => {
        const s = computeStats([12.5, 13.1, 12.9]);
        expect(s.mean).toBeCloseTo(12.833333333333334, 12);
        expect(s.sd).toBeCloseTo(0.3055050463303892, 12);
        expect(s.median).toBe(12.9);
    });

    it("gives sd 0 for one value", () => {
        expect(computeStats([7])).toEqual({n: 1, mean: 7, sd: 0, median: 7, min: 7, max: 7});
    });

    it("stays precise when the spread is tiny next to the mean", () => {
        // The one-pass sum-of-squares formula gives 0 or garbage here.
        const s = computeStats([1e9 + 1, 1e9 + 2, 1e9 + 3]);
        expect(s.sd).toBeCloseTo(1, 9);
        expect(s.mean).toBe(1e9 + 2);
    });

    it("does not reorder the caller's array", () => {
        const values = [3, 1, 2];
        computeStats(values);
        expect(values).toEqual([3, 1, 2]);
    });

    it("says nothing was measured for an empty list", () => {
        const s = computeStats([]);
        expect(s.n).toBe(0);
        for (const value of [s.mean, s.sd, s.median, s.min, s.max])
            expect(Number.isNaN(value)).toBe(true);
    });

    it("refuses non-finite input", () => {
        expect(() => computeStats([1, Number.NaN])).toThrow(RangeError);
        expect(() => computeStats([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
    });
});
