// Reference rows shown beside the user's results: the hardware guide's theoretical ceilings (section 1) and
// its measured llama.cpp runs on a Ryzen 7 3700X (section 2), each with the ceiling and efficiency computed
// the same way as for the user's own rows. See /work/shared/reference/hardware-figures.md.
import type {ModelShape, ReferenceMachineRow} from "../types.js";
import {SHAPE_PRESETS} from "../models/shapePresets.js";
import {theoreticalBandwidthGBs} from "../hardware/parseRamSpec.js";
import {ceilingTpsFor} from "./ceiling.js";

/**
 * Bytes a 4-bit GGML model of the guide's era reads per token. Assumption, stated: the 2023 GGML Q4_0
 * format stored an f32 scale and 16 bytes of nibbles per 32 weights (20 bytes = 5 bits per weight; the
 * f16-scale, 18-byte block came later), every 2-D weight including the output head was Q4_0, norms f32.
 * Per token: every repeating layer, the final norm and the output head; one row of the embedding table.
 * The KV cache is left out: the runs' prompt lengths are not given, and at their ~130-token depth it is
 * under 2% of the bytes.
 */
export function ggmlQ4_0_2023BytesPerToken(shape: ModelShape): number {
    const q4 = (elements: number) => (elements / 32) * 20;
    const nEmbdKv = (shape.nEmbd / shape.nHead) * shape.nHeadKv;
    const layer = q4(2 * shape.nEmbd * shape.nEmbd + 2 * shape.nEmbd * nEmbdKv + 3 * shape.nEmbd * shape.nFf) + 2 * 4 * shape.nEmbd;
    return shape.nLayer * layer + 4 * shape.nEmbd + q4(shape.vocabSize * shape.nEmbd) + q4(shape.nEmbd);
}

/** The 3700X's memory, assumed: DDR4-3200 in 2 channels = 51.2 GB/s. DDR4-3200 dual channel is the
 *  highest speed AMD specifies for this CPU; the guide gives no speed, and 128 GB (4 DIMMs, two per
 *  channel) may well have run slower, which would only raise the efficiency shown. */
export const RYZEN_3700X_RAM = {type: "DDR4", mts: 3200, channels: 2};

const GUIDE_S1 = "hardware guide, section 1";
const GUIDE_S2 = "hardware guide, section 2 (llama.cpp timings, GGML 4-bit, CPU only)";

interface MeasuredRun {
    size: "7b" | "13b" | "30b" | "65b",
    label: string,
    msPerToken: number,
    /** llama.cpp's printed phases, ms. */
    loadMs: number,
    sampleMs: number,
    predictMs: number,
    tokens: number
}

/** Section 2 of the guide, as printed. */
export const RYZEN_3700X_RUNS: readonly MeasuredRun[] = [
    {size: "7b", label: "LLaMA-7B 4-bit", msPerToken: 117.42, loadMs: 1270.15, sampleMs: 325.76, predictMs: 15147.15, tokens: 129},
    {size: "13b", label: "LLaMA-13B 4-bit", msPerToken: 216.43, loadMs: 2946.00, sampleMs: 86.11, predictMs: 7358.48, tokens: 34},
    {size: "30b", label: "LLaMA-30B 4-bit", msPerToken: 533.17, loadMs: 6666.53, sampleMs: 332.71, predictMs: 68779.27, tokens: 129},
    {size: "65b", label: "LLaMA-65B 4-bit", msPerToken: 1089.36, loadMs: 14010.35, sampleMs: 335.09, predictMs: 140527.48, tokens: 129}
];

function theoreticalRow(machine: string, ram: {mts: number, channels: number}, modelBytes: number, note: string): ReferenceMachineRow {
    const bandwidth = theoreticalBandwidthGBs(ram.mts, ram.channels);
    return {
        machine,
        model: `${modelBytes / 1e9} GB model`,
        bytesPerToken: modelBytes,
        bandwidthGBs: bandwidth,
        measuredTps: null,
        ceilingTps: round(ceilingTpsFor(bandwidth, modelBytes), 3),
        efficiency: null,
        source: `${GUIDE_S1}; ${note}`
    };
}

/** The guide's reference rows: theoretical ceilings first, then the measured 3700X runs. */
export function referenceMachines(): ReferenceMachineRow[] {
    const rows: ReferenceMachineRow[] = [
        {
            machine: "Core i9-10900X, DDR4-3600 x 4 channels",
            model: "13 GB model",
            bytesPerToken: 13e9,
            // The guide's own rounding of 4 x 3600 x 8 = 115.2 GB/s.
            bandwidthGBs: 115,
            measuredTps: null,
            ceilingTps: round(ceilingTpsFor(115, 13e9), 3),
            efficiency: null,
            source: `${GUIDE_S1}, worked example (115 GB/s as stated; 4 x DDR4-3600 = 115.2 GB/s)`
        },
        theoreticalRow("Ryzen 5 3600, DDR4-3600 x 2", {mts: 3600, channels: 2}, 8e9, "table (the guide rounds to 56 GB/s, 7 t/s)"),
        theoreticalRow("Ryzen 5 5600X, DDR4-3200 x 2", {mts: 3200, channels: 2}, 8e9, "table (the guide rounds to 51 GB/s, 6.3 t/s)"),
        theoreticalRow("Core i9-13900K, DDR5-5600 x 2", {mts: 5600, channels: 2}, 8e9, "table (89.6 GB/s, 11.2 t/s)"),
        theoreticalRow("Core i5-10400F, DDR4-2666 x 2", {mts: 2666, channels: 2}, 8e9, "table (the guide prints 41.6 GB/s, 5.1 t/s)")
    ];

    const bandwidth = theoreticalBandwidthGBs(RYZEN_3700X_RAM.mts, RYZEN_3700X_RAM.channels);
    for (const run of RYZEN_3700X_RUNS) {
        const bytes = Math.round(ggmlQ4_0_2023BytesPerToken(SHAPE_PRESETS[run.size]!));
        const measuredTps = 1000 / run.msPerToken;
        const ceilingTps = ceilingTpsFor(bandwidth, bytes);
        rows.push({
            machine: "Ryzen 7 3700X, 128 GB DDR4 (assumed DDR4-3200 x 2), CPU only",
            model: run.label,
            bytesPerToken: bytes,
            bandwidthGBs: bandwidth,
            measuredTps: round(measuredTps, 3),
            ceilingTps: round(ceilingTps, 3),
            efficiency: round(measuredTps / ceilingTps, 3),
            source: `${GUIDE_S2}: ${run.msPerToken} ms per token; bytes = 2023 GGML Q4_0 (20-byte blocks) of the LLaMA shape`
        });
    }
    return rows;
}

function round(value: number, digits: number): number {
    const factor = 10 ** digits;
    return Math.round(value * factor) / factor;
}
