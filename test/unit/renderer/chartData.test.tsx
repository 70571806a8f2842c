// @vitest-environment happy-dom
import {describe, expect, it} from "vitest";
import {chartData, niceTicks, scaleLinear} from "../../../src-renderer/chartData.js";
import {resultFixture} from "./fixtures.js";
import {computeCeiling} from "../../../src-main/engine/ceiling/ceiling.js";

describe("chartData", () => {
    it("plots tg tokens/s against threads with the ceiling at each point", () => {
        const rows = [resultFixture({threads: 2, tg: 18, ceilingTps: 40}), resultFixture({threads: 1, tg: 10, ceilingTps: 40})];
        const data = chartData(rows);
        expect(data.axis).toBe("threads");
        expect(data.xLabel).toBe("threads");
        expect(data.series).toHaveLength(1);
        const series = data.series[0]!;
        expect(series.label).toBe("tiny-q4_0.gguf");
        expect(series.points.map((point) => [point.x, point.y])).toEqual([[1, 10], [2, 18]]);
        expect(series.ceiling).toEqual([{x: 1, y: 40}, {x: 2, y: 40}]);
        expect(series.ceilingKind).toBe("measured");
        expect(data.xTicks).toEqual([1, 2]);
        // The y axis reaches the ceiling so the line is inside the plot.
        expect(data.yDomain[0]).toBe(0);
        expect(data.yDomain[1]).toBeGreaterThanOrEqual(40);
        expect(data.skipped).toBe(0);
    });

    it("switches to GPU layers when they vary, resolving max to the layers really offloaded", () => {
        const rows = [
            resultFixture({gpuLayers: 0, tg: 5, ceilingTps: 10}),
            resultFixture({gpuLayers: 2, tg: 9, ceilingTps: 20}),
            resultFixture({gpuLayers: "max", tg: 30, ceilingTps: 60, load: {ms: 1, pageCache: "warm", gpuLayers: 5}})
        ];
        const data = chartData(rows);
        expect(data.axis).toBe("gpuLayers");
        expect(data.xLabel).toBe("GPU layers");
        expect(data.series[0]!.points.map((point) => point.x)).toEqual([0, 2, 5]);
        expect(data.series[0]!.ceiling.map((point) => point.y)).toEqual([10, 20, 60]);
    });

    it("draws the split-ceiling curve at every layer count of a GPU layer sweep, through each row's own ceiling", () => {
        // 4 layers of 1 MB and a 0.5 MB head; the CPU at 10 GB/s, the GPU at 1000.
        const model = {nLayer: 4, nEmbd: 64, nHead: 8, nHeadKv: 2, vocabSize: 1000, bytesPerLayer: 1e6, tokenEmbdBytes: 1e6, outputBytes: 0.5e6};
        const rowAt = (layers: number, tg: number) => {
            const ceiling = computeCeiling({model, gpuLayers: layers, cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000, measuredTps: tg});
            return resultFixture({gpuLayers: layers, tg, ceiling});
        };
        const rows = [rowAt(0, 1000), rowAt(2, 1500), rowAt(5, 50000)];
        const series = chartData(rows).series[0]!;
        expect(series.ceilingKind).toBe("split");
        expect(series.ceiling.map((point) => point.x)).toEqual([0, 1, 2, 3, 4, 5]);
        for (const row of rows)
            expect(series.ceiling.find((point) => point.x === row.load!.gpuLayers)!.y).toBeCloseTo(row.ceiling!.ceilingTps!, 1);
        expect(series.ceiling[1]!.y).toBeCloseTo(computeCeiling({model, gpuLayers: 1, cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000}).ceilingTps!, 1);
        // Rows without the per-layer figures (an imported CSV) keep their own ceilings.
        const bare = rows.map((row) => ({...row, ceiling: {...row.ceiling!, layerBytesPerToken: undefined}}));
        expect(chartData(bare).series[0]!.ceiling.map((point) => point.x)).toEqual([0, 2, 5]);
        expect(chartData(bare).series[0]!.ceilingKind).toBe("measured");
    });

    it("makes one series per differing configuration, labelled by what differs", () => {
        const rows = [
            resultFixture({threads: 1, tg: 10}),
            resultFixture({threads: 2, tg: 18}),
            resultFixture({threads: 1, tg: 8, config: {modelPath: "/m/tiny.gguf", gpuLayers: 0, threads: 1, batchSize: 512, nPrompt: 16, nGen: 64, reps: 2, flashAttention: false}})
        ];
        const data = chartData(rows);
        expect(data.series.map((series) => series.label).sort()).toEqual(["n 64", "n 8"]);
    });

    it("leaves out failed, cancelled and unmeasured rows and counts them", () => {
        const rows = [
            resultFixture({threads: 1, tg: 10}),
            resultFixture({status: "error", error: "bad.gguf: not a GGUF file", stats: undefined}),
            resultFixture({status: "cancelled"}),
            resultFixture({stats: undefined})
        ];
        const data = chartData(rows);
        expect(data.series).toHaveLength(1);
        expect(data.series[0]!.points).toHaveLength(1);
        expect(data.skipped).toBe(3);
    });

    it("has no ceiling line when the bandwidth is unknown, and falls back to the theoretical one", () => {
        const unknown = chartData([resultFixture({ceilingTps: null})]);
        expect(unknown.series[0]!.ceiling).toEqual([]);
        expect(unknown.series[0]!.ceilingKind).toBeNull();
        const row = resultFixture({ceilingTps: null});
        row.ceiling = {bytesPerToken: 1, ceilingTps: null, ceilingTpsTheoretical: 25, efficiency: null, bound: "cpu-memory"};
        const theoretical = chartData([row]);
        expect(theoretical.series[0]!.ceiling).toEqual([{x: 1, y: 25}]);
        expect(theoretical.series[0]!.ceilingKind).toBe("theoretical");
    });

    it("pads a single x value and gives an empty chart sane axes", () => {
        expect(chartData([resultFixture({threads: 1})]).xDomain).toEqual([0, 2]);
        const empty = chartData([]);
        expect(empty.series).toEqual([]);
        expect(empty.yDomain).toEqual([0, 1]);
        expect(empty.xTicks).toEqual([]);
    });
});

describe("niceTicks and scaleLinear", () => {
    it("steps on 1-2-2.5-5 and reaches the maximum", () => {
        expect(niceTicks(17, 5)).toEqual([0, 5, 10, 15, 20]);
        expect(niceTicks(40.5, 5)).toEqual([0, 10, 20, 30, 40, 50]);
        expect(niceTicks(0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
        expect(niceTicks(0, 5)).toEqual([0, 1]);
    });

    it("maps a domain onto a (flipped) pixel range", () => {
        expect(scaleLinear(5, [0, 10], [0, 100])).toBe(50);
        expect(scaleLinear(10, [0, 10], [250, 10])).toBe(10);
        expect(scaleLinear(3, [3, 3], [0, 100])).toBe(50);
    });
});
