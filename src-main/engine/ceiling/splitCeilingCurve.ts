// The split ceiling as a curve: the generation ceiling at every GPU layer count, from one row's ceiling. Each
// layer moved to the GPU moves its bytes (weights + KV) from the CPU's share to the GPU's, and the output head
// goes last, as llama.cpp offloads them (bytesPerToken); the time per token is the two shares at their
// bandwidths (secondsPerToken). Pure: the results chart draws it beside the measured points.
import type {CeilingInfo} from "../types.js";
import {secondsPerToken} from "./ceiling.js";

export interface SplitCeilingPoint {
    /** llama.cpp's n_gpu_layers: up to nLayer repeating layers, nLayer + 1 with the output head. */
    layers: number,
    tps: number,
    /** Of the time per token at the ceiling, the share the CPU's bytes take (0..1). */
    cpuShare: number
}

/**
 * The ceiling at each of `layerCounts` for the model and depth of `ceiling`, at its measured CPU bandwidth and its
 * GPU bandwidth; empty when the row lacks a figure it needs (no GPU bandwidth, no measured CPU bandwidth, an
 * imported row without the per-layer bytes).
 */
export function splitCeilingCurve(ceiling: CeilingInfo, nLayer: number, layerCounts: readonly number[]): SplitCeilingPoint[] {
    const {layerBytesPerToken: perLayer, outputHeadBytes: outputHead, cpuBandwidthGBs: cpuGBs, gpuBandwidthGBs: gpuGBs} = ceiling;
    if (perLayer == null || outputHead == null || cpuGBs == null || gpuGBs == null || !(nLayer > 0))
        return [];
    const points: SplitCeilingPoint[] = [];
    for (const layers of layerCounts) {
        const onGpu = Math.max(0, Math.floor(layers));
        const gpu = Math.min(nLayer, onGpu) * perLayer + (onGpu > nLayer ? outputHead : 0);
        const cpu = Math.max(0, ceiling.bytesPerToken - gpu);
        const seconds = secondsPerToken({cpu, gpu}, cpuGBs, gpuGBs);
        if (seconds == null || !(seconds > 0))
            continue;
        points.push({layers, tps: 1 / seconds, cpuShare: cpu / (cpuGBs * 1e9) / seconds});
    }
    return points;
}
