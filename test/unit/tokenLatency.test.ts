import {describe, expect, it} from "vitest";
import {percentile} from "../../src-main/engine/bench/percentile.js";
import {tokenLatencyOf} from "../../src-main/engine/bench/tokenLatencyOf.js";
import type {RepSample} from "../../src-main/engine/types.js";

const sample = (tokenMs?: number[]): RepSample => ({
    promptTokens: 4, ppMs: 1, ttftMs: 2, genTokens: tokenMs?.length ?? 0, tgMs: (tokenMs ?? []).reduce((a, b) => a + b, 0),
    ...(tokenMs != null ? {tokenMs} : {})
});

describe("percentile (nearest rank)", () => {
    // Nearest-rank values worked by hand (sorted[ceil(p/100*n) - 1]); the same as NIST's "nearest rank" definition.
    it("picks measured values: 1..10", () => {
        const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        expect(percentile(values, 50)).toBe(5);
        expect(percentile(values, 90)).toBe(9);
        expect(percentile(values, 99)).toBe(10);
        expect(percentile(values, 100)).toBe(10);
        expect(percentile(values, 1)).toBe(1);
    });

    it("leaves the top 1% out only when there are more than 100 values", () => {
        const values = Array.from({length: 200}, (_, i) => i + 1);
        expect(percentile(values, 99)).toBe(198);
        expect(percentile(values, 50)).toBe(100);
        expect(percentile(Array.from({length: 64}, (_, i) => i), 99)).toBe(63);
    });

    it("is NaN for no values and refuses p outside (0, 100]", () => {
        expect(percentile([], 50)).toBeNaN();
        expect(() => percentile([1], 0)).toThrow(RangeError);
        expect(() => percentile([1], 101)).toThrow(RangeError);
    });
});

describe("tokenLatencyOf", () => {
    it("pools every repetition's tokens, sorted numerically, and keeps a stall a mean hides", () => {
        // 99 tokens at ~25 ms and one 400 ms stall: the mean is 28.9 ms, p99 and max say what a user felt.
        const first = Array.from({length: 50}, (_, i) => 25 + (i % 5) * 0.1);
        const second = [...Array.from({length: 49}, (_, i) => 24.5 + (i % 3) * 0.2), 400];
        const latency = tokenLatencyOf([sample(first), sample(second)])!;
        expect(latency.tokens).toBe(100);
        expect(latency.max).toBe(400);
        expect(latency.p99).toBeCloseTo(25.4, 9); // the 99th of 100: the largest ordinary token
        expect(latency.p50).toBe(25); // the 50th: 17 + 16 + 16 faster second-repetition tokens, then 25.0
        expect(latency.p90).toBeCloseTo(25.4, 9);
        expect(latency.p50).toBeLessThanOrEqual(latency.p90);
        expect(latency.p90).toBeLessThanOrEqual(latency.p99);
        // numeric, not string, order: 100 sorts after 9
        expect(tokenLatencyOf([sample([9, 100, 10])])).toEqual({tokens: 3, p50: 10, p90: 100, p99: 100, max: 100});
    });

    it("is null when no repetition recorded its tokens (llama-bench, older rows)", () => {
        expect(tokenLatencyOf([sample(), sample()])).toBeNull();
        expect(tokenLatencyOf([])).toBeNull();
    });

    it("refuses a non-finite time (a bug upstream)", () => {
        expect(() => tokenLatencyOf([sample([1, Number.NaN])])).toThrow(RangeError);
    });
});
