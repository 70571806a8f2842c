// @vitest-environment happy-dom
import {cleanup, fireEvent, render, screen, within} from "@testing-library/react";
import {afterEach, describe, expect, it} from "vitest";
import {ResultsPanel} from "../../../src-renderer/ResultsPanel.js";
import {latencyHistogram} from "../../../src-renderer/latencyHistogram.js";
import {tokenLatencyOf} from "../../../src-main/engine/bench/tokenLatencyOf.js";
import {referenceFixture, resultFixture} from "./fixtures.js";

afterEach(cleanup);

describe("latencyHistogram", () => {
    it("bins on a log scale from the fastest to the slowest token, so a 10x stall gets its own bar", () => {
        const times = [...Array.from({length: 99}, (_, i) => 20 + (i % 10) * 0.2), 200];
        const histogram = latencyHistogram(times, 24)!;
        expect(histogram.bins).toHaveLength(24);
        expect(histogram.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(100);
        expect(histogram.bins.at(-1)!.count).toBe(1);
        expect(histogram.bins[0]!.from).toBeCloseTo(20, 9);
        expect(histogram.bins.at(-1)!.to).toBeCloseTo(200, 9);
        // log scale: 10x the minimum is at the far end, the geometric middle (63 ms) in the middle
        expect(histogram.position(200)).toBe(1);
        expect(histogram.position(Math.sqrt(20 * 200))).toBeCloseTo(0.5, 9);
    });
    it("has one bin when every token took the same, and nothing for no times", () => {
        expect(latencyHistogram([5, 5, 5], 24)!.bins).toEqual([{from: 5, to: 5, count: 3}]);
        expect(latencyHistogram([], 24)).toBeNull();
    });
});

describe("the latency strip in a results row's why area", () => {
    const tokenMs = [[25.1, 24.8, 25.3, 24.9, 25.0, 25.2, 24.7, 251.4], [25.0, 24.9, 25.1, 25.2, 24.8, 25.0, 24.9, 25.3]];
    const samples = tokenMs.map((times) => ({promptTokens: 16, ppMs: 40, ttftMs: 40 + times[0]!, genTokens: 8, tgMs: times.reduce((a, b) => a + b, 0), tokenMs: times}));

    it("draws every token's time with the percentiles marked, and says them in words with TTFT and the energy's reason", () => {
        const row = {
            ...resultFixture({threads: 1, tg: 10, ceilingTps: 40}), samples, tokenLatency: tokenLatencyOf(samples)!,
            energy: {joules: null, tokensPerJoule: null, source: null, note: "energy not measured: no RAPL energy counters: /sys/class/powercap does not exist"}
        };
        render(<ResultsPanel rows={[row]} pending={0} caption="This run." reference={referenceFixture} />);
        fireEvent.click(screen.getByRole("button", {name: "Why…"}));
        const strip = screen.getByTestId("token-latency");
        const caption = within(strip).getByText(/^Per-token latency/).closest("figcaption")!;
        expect(caption.textContent).toBe("Per-token latency over 16 generated tokens: p50 25.0 ms, p90 25.3 ms, p99 251 ms, max 251 ms (p99 10.1× p50); " +
            "bars: tokens by time, 24.7 to 251 ms, log scale. Time to first token: median 20.0 ms, max 21.0 ms over 2 repetitions.");
        const svg = within(strip).getByTestId("latency-histogram");
        // decoration only: the caption carries the figures for a screen reader
        expect(svg.getAttribute("aria-hidden")).toBe("true");
        const heights = [...svg.querySelectorAll("rect.bin")].map((rect) => Number(rect.getAttribute("height")));
        expect(heights).toHaveLength(24);
        expect(heights.at(-1)).toBeGreaterThanOrEqual(2); // the one stall stays visible
        expect(svg.querySelectorAll("g.mark")).toHaveLength(4);
        // overlapping labels give way, the slow end first
        expect([...svg.querySelectorAll("g.mark text")].map((text) => text.textContent)).toEqual(["p90", "max"]);
        expect(within(strip).getByTestId("energy-line").textContent).toBe("Energy not measured: no RAPL energy counters: /sys/class/powercap does not exist.");
    });

    it("shows the percentiles of an imported row without its token times, and measured energy with its source", () => {
        const row = {
            ...resultFixture({threads: 1, tg: 10, ceilingTps: 40}),
            tokenLatency: {tokens: 384, p50: 22.18, p90: 22.71, p99: 31.04, max: 48.337},
            energy: {joules: 150.6, tokensPerJoule: 1.4318, source: "RAPL package-0 (intel-rapl:0)"}
        };
        render(<ResultsPanel rows={[row]} pending={0} caption="Imported." reference={referenceFixture} />);
        const strip = screen.getByTestId("token-latency");
        expect(within(strip).queryByTestId("latency-histogram")).toBeNull();
        expect(strip.querySelector("figcaption")!.textContent).toMatch(/^Per-token latency over 384 generated tokens: p50 22\.2 ms, p90 22\.7 ms, p99 31\.0 ms, max 48\.3 ms \(p99 1\.40× p50\)\./);
        expect(within(strip).getByTestId("energy-line").textContent).toBe("Energy 151 J a repetition, 1.43 generated tokens per joule of generation (RAPL package-0 (intel-rapl:0)).");
    });

    it("is absent for rows with neither (llama-bench rows, older history)", () => {
        render(<ResultsPanel rows={[resultFixture({threads: 1, tg: 10})]} pending={0} caption="Old." reference={referenceFixture} />);
        expect(screen.queryByTestId("token-latency")).toBeNull();
    });
});
