import {describe, expect, it} from "vitest";
import {ggmlQ4_0_2023BytesPerToken, referenceMachines, RYZEN_3700X_RUNS} from "../../src-main/engine/ceiling/referenceMachines.js";
import {SHAPE_PRESETS} from "../../src-main/engine/models/shapePresets.js";

describe("referenceMachines", () => {
    const rows = referenceMachines();

    it("has the guide's theoretical rows with their ceilings", () => {
        const byMachine = (text: string) => rows.find((row) => row.machine.includes(text))!;
        expect(byMachine("10900X").bandwidthGBs).toBe(115);
        expect(byMachine("10900X").ceilingTps).toBeCloseTo(8.8, 1);
        expect(byMachine("Ryzen 5 3600")).toMatchObject({bandwidthGBs: 57.6, ceilingTps: 7.2, measuredTps: null, efficiency: null});
        expect(byMachine("13900K")).toMatchObject({bandwidthGBs: 89.6, ceilingTps: 11.2});
        expect(byMachine("5600X")).toMatchObject({bandwidthGBs: 51.2, ceilingTps: 6.4});
    });

    it("has the 3700X runs: tokens/s from ms per token, ceiling from DDR4-3200 x 2 and 2023 Q4_0 bytes", () => {
        const measured = rows.filter((row) => row.measuredTps != null);
        expect(measured.map((row) => row.model)).toEqual(["LLaMA-7B 4-bit", "LLaMA-13B 4-bit", "LLaMA-30B 4-bit", "LLaMA-65B 4-bit"]);
        measured.forEach((row, index) => {
            const run = RYZEN_3700X_RUNS[index]!;
            expect(row.measuredTps).toBeCloseTo(1000 / run.msPerToken, 3);
            expect(row.bandwidthGBs).toBe(51.2);
            expect(row.ceilingTps).toBeCloseTo(51.2e9 / row.bytesPerToken!, 3);
            expect(row.efficiency).toBeCloseTo(row.measuredTps! / row.ceilingTps!, 2);
            // Below the ceiling, as real runs are: the assumed memory does not make the guide's runs impossible.
            expect(row.efficiency!).toBeGreaterThan(0.5);
            expect(row.efficiency!).toBeLessThan(1);
        });
        // The guide's ms per token follows from predict / tokens.
        for (const run of RYZEN_3700X_RUNS)
            expect(run.predictMs / run.tokens).toBeCloseTo(run.msPerToken, 0);
    });

    it("counts 2023 GGML Q4_0 at 20 bytes per 32 weights", () => {
        // LLaMA-7B: ~6.6 B weights in the layers and output head -> ~4.1 GB, the size of the 2023 q4_0 files.
        const bytes = ggmlQ4_0_2023BytesPerToken(SHAPE_PRESETS["7b"]!);
        expect(bytes / 1e9).toBeGreaterThan(4.0);
        expect(bytes / 1e9).toBeLessThan(4.2);
    });
});
