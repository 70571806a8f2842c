// Real llama.cpp runs (prebuilt CPU binaries) on a tiny synthetic model: every generated token's time is kept, the
// row's percentiles come from them, and energy is either read or its absence explained.
import {describe, expect, it} from "vitest";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {parse} from "csv-parse/sync";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-latency-");

describe("per-token latency and energy on a real model", () => {
    it("times each generated token, gives ordered percentiles, and reads energy or says in one line why not", async () => {
        const [row] = await runSweep({
            models: [tiny.model], gpuLayers: [0], threads: [1], batchSizes: [64], nPrompt: [16], nGen: [12], reps: 2, flashAttention: [false]
        }, {gpu: "cpu"});
        expect(row!.status, row!.error).toBe("ok");

        for (const sample of row!.samples) {
            const tokenMs = sample.tokenMs!;
            expect(tokenMs).toHaveLength(12);
            for (const ms of tokenMs)
                expect(ms).toBeGreaterThan(0);
            // the tokens' times add up to the generation's wall time, but for the loop's exit (rounded to the microsecond)
            const sum = tokenMs.reduce((a, b) => a + b, 0);
            expect(sum).toBeLessThanOrEqual(sample.tgMs + 0.001 * tokenMs.length);
            expect(sum).toBeGreaterThan(0);
            // the first token's time is what the time to first token adds to prefill
            expect(sample.ttftMs - sample.ppMs).toBeCloseTo(tokenMs[0]!, 2);
        }

        const latency = row!.tokenLatency!;
        expect(latency.tokens).toBe(24);
        expect(latency.p50).toBeGreaterThan(0);
        expect(latency.p50).toBeLessThanOrEqual(latency.p90);
        expect(latency.p90).toBeLessThanOrEqual(latency.p99);
        expect(latency.p99).toBeLessThanOrEqual(latency.max);
        expect(latency.max).toBe(Math.max(...row!.samples.flatMap((s) => s.tokenMs!)));

        const energy = row!.energy!;
        if (energy.source == null) {
            // this machine (a VM without /sys/class/powercap, no NVIDIA driver): empty figures and the reason
            expect(energy.note).toMatch(/^energy not measured: [^\n]+$/);
            expect(energy.joules).toBeNull();
            expect(energy.tokensPerJoule).toBeNull();
            expect(row!.samples.every((s) => s.ppEnergyJ == null && s.tgEnergyJ == null)).toBe(true);
        } else {
            expect(energy.joules).toBeGreaterThan(0);
            expect(energy.tokensPerJoule).toBeGreaterThan(0);
        }

        const [cells] = parse(csvExporter.serialize([row!]), {columns: true}) as Array<Record<string, string>>;
        expect(Number(cells!.tg_ms_p99)).toBe(latency.p99);
        expect(cells!.tg_ms_tokens).toBe("24");
        expect(cells!.energy_source).toBe(energy.source ?? "");
        expect(cells!.energy_note).toBe(energy.note ?? "");
    });
});
