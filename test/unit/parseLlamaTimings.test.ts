import {describe, expect, it} from "vitest";
import {parseLlamaTimings} from "../../src-main/engine/bench/parseLlamaTimings.js";

describe("parseLlamaTimings", () => {
    it("reads the current llama_perf_context_print lines", () => {
        const text = [
            "llama_perf_context_print:        load time =     347.75 ms",
            "llama_perf_context_print: prompt eval time =     364.68 ms /    64 tokens (    5.70 ms per token,   175.50 tokens per second)",
            "llama_perf_context_print:        eval time =    6561.02 ms /    32 runs   (  205.03 ms per token,     4.88 tokens per second)",
            "llama_perf_context_print:       total time =    6596.10 ms /    33 tokens",
            "llama_perf_context_print:    graphs reused =         31"
        ].join("\n");
        expect(parseLlamaTimings(text)).toEqual({
            loadMs: 347.75, promptEvalMs: 364.68, promptEvalTokens: 64, evalMs: 6561.02, evalRuns: 32, totalMs: 6596.10
        });
    });

    it("reads the 2023 llama_print_timings lines of the reference 7B 4-bit run (117.42 ms per token)", () => {
        // The reference machine's figures (Ryzen 7 3700X, LLaMA-7B 4-bit): load, sample, predict, total.
        const text = [
            "llama_print_timings:        load time =  1270.15 ms",
            "llama_print_timings:      sample time =   325.76 ms /   129 runs   (    2.53 ms per run)",
            "llama_print_timings:        eval time = 15147.15 ms /   129 runs   (  117.42 ms per run)",
            "llama_print_timings:       total time = 17077.88 ms"
        ].join("\n");
        const timings = parseLlamaTimings(text);
        expect(timings.loadMs).toBe(1270.15);
        expect(timings.sampleMs).toBe(325.76);
        expect(timings.sampleRuns).toBe(129);
        expect(timings.totalMs).toBe(17077.88);
        expect(timings.evalMs! / timings.evalRuns!).toBeCloseTo(117.42, 2);
    });

    it("ignores other log lines and returns nothing for text without timings", () => {
        expect(parseLlamaTimings("llama_model_loader: loaded meta data with 24 key-value pairs\nrandom text")).toEqual({});
    });
});
