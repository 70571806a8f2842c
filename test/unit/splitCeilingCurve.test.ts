import {describe, expect, it} from "vitest";
import {computeCeiling} from "../../src-main/engine/ceiling/ceiling.js";
import {splitCeilingCurve} from "../../src-main/engine/ceiling/splitCeilingCurve.js";

// The ceiling test's model: 4 layers of 1 MB, a 0.5 MB output head, a 1 MB embedding table of 1000 rows.
const model = {
    nLayer: 4, nEmbd: 64, nHead: 8, nHeadKv: 2, vocabSize: 1000,
    bytesPerLayer: 1e6, tokenEmbdBytes: 1e6, outputBytes: 0.5e6
};

describe("splitCeilingCurve", () => {
    it("from one row's ceiling, gives computeCeiling's answer at every layer count, the output head last", () => {
        const bandwidths = {cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000};
        const row = computeCeiling({model, depth: 300, gpuLayers: 2, ...bandwidths});
        const curve = splitCeilingCurve(row, model.nLayer, [0, 1, 2, 3, 4, 5]);
        expect(curve.map((point) => point.layers)).toEqual([0, 1, 2, 3, 4, 5]);
        for (const point of curve) {
            const direct = computeCeiling({model, depth: 300, gpuLayers: point.layers, ...bandwidths});
            expect(point.tps).toBeCloseTo(direct.ceilingTps!, 1);
        }
        // All on the GPU but the embedding row (1 kB at 10 GB/s): the CPU's share of the time is that row's.
        const cpuSeconds = 1e3 / 10e9;
        expect(curve[5]!.cpuShare).toBeCloseTo(cpuSeconds / (cpuSeconds + (row.bytesPerToken - 1e3) / 1000e9), 3);
        expect(curve[0]!.cpuShare).toBe(1);
        // Each layer moved to the faster memory raises the ceiling.
        for (let i = 1; i < curve.length; i++)
            expect(curve[i]!.tps).toBeGreaterThan(curve[i - 1]!.tps);
    });

    it("is empty when the row lacks the GPU's bandwidth or the per-layer bytes (a CPU row, an imported row)", () => {
        const cpuRow = computeCeiling({model, gpuLayers: 0, cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000});
        expect(cpuRow.gpuBandwidthGBs).toBeNull();
        expect(splitCeilingCurve(cpuRow, 4, [0, 1, 2])).toEqual([]);
        const noGpuFigure = computeCeiling({model, gpuLayers: 2, cpuBandwidthGBs: 10});
        expect(splitCeilingCurve(noGpuFigure, 4, [0, 1, 2])).toEqual([]);
        const imported = {...computeCeiling({model, gpuLayers: 2, cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000}), layerBytesPerToken: undefined};
        expect(splitCeilingCurve(imported, 4, [0, 1, 2])).toEqual([]);
    });
});
