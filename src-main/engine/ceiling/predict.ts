// What-if predictions: how large is a model of this shape and type (or this file), what RAM and VRAM does
// it need, how should it be split, and what generation speed does memory bandwidth allow — on this machine
// or on one described by its RAM ("DDR5-5600x2", or "115 GB/s") and GPU ("RTX 4090").
import type {GgufFileInfo} from "node-llama-cpp";
import {WEIGHT_TYPES, type CeilingInfo, type HardwareProfile, type ModelInfo, type WeightType, type PredictRequest, type PredictResult} from "../types.js";
import {inspectModel} from "../models/inspectModel.js";
import {resolveShape} from "../models/shapePresets.js";
import {parseRamSpec} from "../hardware/parseRamSpec.js";
import {bandwidthForThreads, computeCeiling} from "./ceiling.js";
import {fitModel} from "./fit.js";
import {lookupGpu} from "../hardware/gpuBandwidth.js";
import {modelFromShape} from "./modelFromShape.js";
import {referenceMachines} from "./referenceMachines.js";
import {formatBytes} from "../formatBytes.js";

const GiB = 1024 ** 3;

export interface DescribedRam {
    bandwidthGBs: number,
    label: string
}

/** "DDR5-5600x2" (channels x MT/s x 8) or a bandwidth stated outright ("115 GB/s"); null if unreadable. */
export function describedRamBandwidth(text: string): DescribedRam | null {
    const stated = /^\s*(\d+(?:\.\d+)?)\s*gb\s*\/\s*s\s*$/i.exec(text);
    if (stated != null)
        return {bandwidthGBs: Number(stated[1]), label: `${stated[1]} GB/s (stated)`};
    const spec = parseRamSpec(text);
    if (spec == null)
        return null;
    return {bandwidthGBs: spec.theoreticalGBs, label: `${spec.type ?? "RAM"}-${spec.mts} x ${spec.channels} channel${spec.channels === 1 ? "" : "s"} = ${spec.theoreticalGBs} GB/s (theoretical)`};
}

/** A skeleton profile for a machine known only from the request (no detection available). */
function unknownMachine(): HardwareProfile {
    const none = {value: null, source: "none" as const, note: "not described"};
    return {
        detectedAt: new Date().toISOString(),
        os: {platform: "unknown", distro: none, release: none, arch: "unknown", virtualised: none},
        cpu: {brand: none, physicalCores: none, logicalCores: none, simd: none, speedGHz: none},
        memory: {totalBytes: none, freeBytes: none, modules: none, theoreticalGBs: none},
        bandwidth: none,
        gpus: [],
        backends: {cuda: false, vulkan: false, metal: false, cpu: true, used: "cpu"},
        disk: {path: "", device: none, kind: none, freeBytes: none},
        nodeLlamaCppVersion: "unknown",
        llamaCppRelease: "unknown"
    };
}

/** Predicts size, memory needs, best split and the bandwidth ceiling for a shape + type or a GGUF file. */
export async function predict(request: PredictRequest, hardware: HardwareProfile | null): Promise<PredictResult> {
    // --- the model ---
    let info: ModelInfo;
    let ggufFileInfo: GgufFileInfo | undefined;
    let modelLabel: string;
    if (request.modelPath != null && request.modelPath !== "") {
        info = await inspectModel(request.modelPath);
        modelLabel = `${info.fileName} (${info.weightType})`;
    } else if (request.shape != null && request.shape !== "") {
        const type = (request.type ?? "q4_0").toLowerCase();
        if (!WEIGHT_TYPES.includes(type as WeightType))
            throw new Error(`Unknown weight type "${request.type}"; valid types: ${WEIGHT_TYPES.join(", ")}`);
        const shaped = modelFromShape(resolveShape(request.shape), type as WeightType, `${request.shape} ${type}`);
        info = shaped.info;
        ggufFileInfo = shaped.ggufFileInfo;
        modelLabel = `${request.shape} ${type}`;
    } else {
        throw new Error("Give a model shape and type (e.g. 70b q4_0) or a model file");
    }
    const contextSize = request.contextSize ?? Math.min(4096, info.contextLength > 0 ? info.contextLength : 4096);

    // --- the machine: described parts replace detected ones, the rest stays as detected ---
    const base = hardware ?? unknownMachine();
    const notes: string[] = [];
    let ramNote: string;
    let cpuBandwidthGBs: number | null = null;
    let cpuTheoreticalGBs: number | null = base.memory.theoreticalGBs.value;
    if (request.ram != null && request.ram !== "") {
        const ram = describedRamBandwidth(request.ram);
        if (ram == null)
            throw new Error(`Cannot read the RAM description "${request.ram}" (expected e.g. DDR5-5600x2 or "115 GB/s")`);
        cpuBandwidthGBs = ram.bandwidthGBs;
        cpuTheoreticalGBs = ram.bandwidthGBs;
        ramNote = `RAM: ${ram.label}`;
    } else if (base.bandwidth.value != null) {
        // the ceiling's rule: never below the 1-thread figure (under load the all-cores reading can fall below it)
        cpuBandwidthGBs = bandwidthForThreads(base.bandwidth.value, base.bandwidth.value.threads);
        ramNote = `RAM: ${cpuBandwidthGBs} GB/s measured here (${base.bandwidth.value.threads} threads)`;
    } else if (cpuTheoreticalGBs != null) {
        cpuBandwidthGBs = cpuTheoreticalGBs;
        ramNote = `RAM: ${cpuTheoreticalGBs} GB/s theoretical (bandwidth not measured)`;
    } else {
        ramNote = "RAM bandwidth unknown: describe the RAM (e.g. DDR5-5600x2) or measure it";
    }

    let machine: HardwareProfile = base;
    let gpuBandwidthGBs: number | null = base.backends.used !== "cpu" ? base.gpus[0]?.bandwidthGBs.value ?? null : null;
    if (request.gpu != null && request.gpu !== "") {
        const spec = lookupGpu(request.gpu);
        if (spec == null)
            throw new Error(`Unknown GPU "${request.gpu}": not in the GPU table`);
        const vramBytes = spec.vramGB * GiB;
        gpuBandwidthGBs = spec.bandwidthGBs;
        machine = {
            ...base,
            gpus: [{
                name: {value: `${spec.vendor} ${spec.name}`, source: "user"},
                vendor: {value: spec.vendor, source: "table"},
                vramTotalBytes: {value: vramBytes, source: "table"},
                vramFreeBytes: {value: null, source: "none", note: "described GPU: all of its memory assumed free"},
                bandwidthGBs: {value: spec.bandwidthGBs, source: "table", note: spec.source}
            }],
            backends: {...base.backends, used: spec.vendor === "Apple" ? "metal" : "described"}
        };
        notes.push(`GPU: ${spec.vendor} ${spec.name} ${spec.vramGB} GB, ${spec.bandwidthGBs} GB/s (${spec.source})`);
        if (spec.unified === true) {
            // Apple silicon: CPU and GPU share one memory and its bandwidth.
            machine = {...machine, memory: {...machine.memory, totalBytes: {value: vramBytes, source: "table"}, freeBytes: {value: null, source: "none"}}};
            if (request.ram == null || request.ram === "") {
                cpuBandwidthGBs = spec.bandwidthGBs;
                cpuTheoreticalGBs = spec.bandwidthGBs;
                ramNote = `RAM: unified with the GPU, ${spec.bandwidthGBs} GB/s`;
            }
            notes.push("unified memory: CPU and GPU share it; the VRAM figure is the largest configuration");
        }
    } else if (base.gpus[0] != null && base.backends.used !== "cpu") {
        notes.push(`GPU: ${base.gpus[0].name.value ?? "detected"}${gpuBandwidthGBs != null ? `, ${gpuBandwidthGBs} GB/s (spec table)` : ", bandwidth not in the GPU table"}`);
    } else {
        notes.push("no GPU: CPU only");
    }
    notes.unshift(ramNote);
    if (machine.memory.totalBytes.value == null && machine.memory.freeBytes.value == null)
        notes.push("RAM size unknown: whether the model fits in RAM is not judged");

    // --- fit and ceiling ---
    const fit = await fitModel({model: info, contextSize, hardware: machine, ...(ggufFileInfo != null ? {ggufFileInfo} : {})});
    const ceiling = computeCeiling({model: info, depth: 0, gpuLayers: fit.maxGpuLayers, cpuBandwidthGBs, cpuTheoreticalGBs, gpuBandwidthGBs});
    const atFullContext = computeCeiling({model: info, depth: contextSize, gpuLayers: fit.maxGpuLayers, cpuBandwidthGBs, cpuTheoreticalGBs, gpuBandwidthGBs});
    const bandwidthGBs = effectiveBandwidthGBs(ceiling);

    const lines = [
        `${modelLabel}: ${formatBytes(info.fileBytes)}, ${formatBytes(ceiling.bytesPerToken)} read per generated token (weights${ceiling.kvBytesPerToken ? " + KV cache" : ""}, empty context)`,
        ...notes,
        `fit at context ${contextSize}: ${fit.verdict}; ${fit.detail}`,
        ceiling.ceilingTps != null
            ? `ceiling: ${ceiling.ceilingTps.toFixed(1)} tokens/s at an empty context, ${atFullContext.ceilingTps?.toFixed(1) ?? "?"} tokens/s with ${contextSize} tokens in the KV cache ` +
              `(${ceiling.bound}; bandwidth / bytes per token). Real runs land below it: ${referenceEfficiencyNote()}`
            : "ceiling: unknown without a memory bandwidth",
        "prompt processing is compute-bound: not predicted"
    ];
    return {
        modelBytes: info.fileBytes,
        ramBytes: fit.ramBytes,
        vramBytes: fit.vramBytes,
        gpuLayers: fit.maxGpuLayers,
        ceilingTps: ceiling.ceilingTps,
        bandwidthGBs,
        verdict: fit.verdict,
        lines
    };
}

/** How close the guide's measured runs came to their ceilings, as the yardstick for "below the ceiling". */
function referenceEfficiencyNote(): string {
    const measured = referenceMachines().filter((row) => row.efficiency != null);
    const percents = measured.map((row) => Math.round(row.efficiency! * 100));
    if (percents.length === 0)
        return "how far below depends on the machine.";
    return `the guide's measured Ryzen 7 3700X runs reached ${Math.min(...percents)}-${Math.max(...percents)}% of theirs.`;
}

/** The one bandwidth that would stream the whole split in the same time: bytes / (Σ bytes_i / bandwidth_i). */
function effectiveBandwidthGBs(ceiling: CeilingInfo): number | null {
    if (ceiling.ceilingTps == null)
        return null;
    const cpu = ceiling.cpuBytesPerToken ?? 0;
    const gpu = ceiling.gpuBytesPerToken ?? 0;
    const seconds = (cpu > 0 ? cpu / ((ceiling.cpuBandwidthGBs ?? NaN) * 1e9) : 0) + (gpu > 0 ? gpu / ((ceiling.gpuBandwidthGBs ?? NaN) * 1e9) : 0);
    return Number.isFinite(seconds) && seconds > 0 ? Math.round((cpu + gpu) / seconds / 1e6) / 1000 : null;
}
