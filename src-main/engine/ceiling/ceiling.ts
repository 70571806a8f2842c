// The roofline for token generation: every generated token reads the weights it uses once, plus the KV
// cache at the current depth, so tokens/s <= bandwidth / bytes read per token. With a layer split, the
// GPU's share streams from VRAM and the rest from system RAM, one after the other:
//     time per token >= bytes_on_gpu / gpu_bandwidth + bytes_on_cpu / cpu_bandwidth.
// Prompt processing is different: a batch of tokens shares each weight read, so it is compute-bound and
// not predicted here.
import type {BandwidthMeasurement, Bound, CeilingInfo, HardwareProfile, ModelInfo, TestConfig, TestResult} from "../types.js";
import {BUSY_MACHINE_CORES, busiestBackground} from "./busyMachine.js";

/** The model figures the ceiling needs; a ModelInfo has them all. */
export type CeilingModel = Pick<ModelInfo, "nLayer" | "nEmbd" | "nHead" | "nHeadKv" | "vocabSize" | "bytesPerLayer" | "tokenEmbdBytes" | "outputBytes">;

/** Bytes of an f16 KV-cache element (llama.cpp's default cache type). */
export const KV_F16_BYTES = 2;

export interface BytesPerTokenOptions {
    model: CeilingModel,
    /** Tokens already in the KV cache while generating (default 0). */
    depth?: number,
    /** llama.cpp's n_gpu_layers: repeating layers from the top, and the output head once it exceeds
     *  nLayer. "max" = everything. Default 0. */
    gpuLayers?: number | "max",
    /** Bytes per KV-cache element (default 2: f16). */
    kvBytesPerElement?: number
}

export interface BytesPerToken {
    total: number,
    weights: number,
    kv: number,
    cpu: number,
    gpu: number,
    /** Repeating layers on the GPU (0..nLayer). */
    gpuRepeatingLayers: number,
    outputOnGpu: boolean
}

/** KV-cache bytes one layer reads per generated token at this depth: K and V, n_embd_kv each. */
export function kvBytesPerLayer(model: Pick<CeilingModel, "nEmbd" | "nHead" | "nHeadKv">, depth: number, kvBytesPerElement = KV_F16_BYTES): number {
    const nEmbdKv = model.nHead > 0 ? (model.nEmbd / model.nHead) * model.nHeadKv : model.nEmbd;
    return 2 * Math.max(0, depth) * nEmbdKv * kvBytesPerElement;
}

/** Bytes read to generate one token, split by where they live. The token-embedding table is a lookup (one
 *  row per token); when it doubles as the output head (tied embeddings) inspectModel already counts it in
 *  outputBytes, which is read in full. */
export function bytesPerToken(options: BytesPerTokenOptions): BytesPerToken {
    const {model, depth = 0, kvBytesPerElement = KV_F16_BYTES} = options;
    const requested = options.gpuLayers === "max" ? model.nLayer + 1 : Math.max(0, Math.floor(options.gpuLayers ?? 0));
    // llama.cpp: repeating layer i is on the GPU when i >= n_layer + 1 - n_gpu_layers (clamped), the output
    // head when n_gpu_layers > n_layer; the input embedding stays on the CPU.
    const gpuRepeatingLayers = Math.min(model.nLayer, requested);
    const outputOnGpu = requested > model.nLayer;
    const cpuRepeatingLayers = model.nLayer - gpuRepeatingLayers;

    const embeddingRow = model.vocabSize > 0 ? model.tokenEmbdBytes / model.vocabSize : 0;
    const outputHead = model.outputBytes;
    const kvLayer = kvBytesPerLayer(model, depth, kvBytesPerElement);

    const gpu = gpuRepeatingLayers * (model.bytesPerLayer + kvLayer) + (outputOnGpu ? outputHead : 0);
    const cpu = cpuRepeatingLayers * (model.bytesPerLayer + kvLayer) + (outputOnGpu ? 0 : outputHead) + embeddingRow;
    const kv = model.nLayer * kvLayer;
    return {total: cpu + gpu, weights: cpu + gpu - kv, kv, cpu, gpu, gpuRepeatingLayers, outputOnGpu};
}

/** tokens/s ceiling for a single memory: bandwidth (GB/s, 1e9 bytes/s) / bytes per token. */
export function ceilingTpsFor(bandwidthGBs: number, bytes: number): number {
    return bytes > 0 ? (bandwidthGBs * 1e9) / bytes : Infinity;
}

export interface ComputeCeilingOptions extends BytesPerTokenOptions {
    /** Measured system-RAM read bandwidth for the threads used, GB/s. */
    cpuBandwidthGBs?: number | null,
    /** System-RAM bandwidth from the DIMM spec (channels x MT/s x 8), GB/s. */
    cpuTheoreticalGBs?: number | null,
    /** GPU memory bandwidth, GB/s. There is no GPU probe, so the spec-table figure serves both ceilings. */
    gpuBandwidthGBs?: number | null,
    /** Measured generation tokens/s, for the efficiency. */
    measuredTps?: number | null
}

/** Seconds per token at these bandwidths, or null when a side that holds bytes has no bandwidth. */
function secondsPerToken(split: BytesPerToken, cpuGBs: number | null | undefined, gpuGBs: number | null | undefined): number | null {
    let seconds = 0;
    if (split.cpu > 0) {
        if (cpuGBs == null || !(cpuGBs > 0))
            return null;
        seconds += split.cpu / (cpuGBs * 1e9);
    }
    if (split.gpu > 0) {
        if (gpuGBs == null || !(gpuGBs > 0))
            return null;
        seconds += split.gpu / (gpuGBs * 1e9);
    }
    return seconds;
}

/** The generation ceiling for one configuration, with the efficiency of a measured rate against it. */
export function computeCeiling(options: ComputeCeilingOptions): CeilingInfo {
    const split = bytesPerToken(options);
    const measuredSeconds = secondsPerToken(split, options.cpuBandwidthGBs, options.gpuBandwidthGBs);
    const theoreticalSeconds = secondsPerToken(split, options.cpuTheoreticalGBs, options.gpuBandwidthGBs);
    const ceilingTps = measuredSeconds != null && measuredSeconds > 0 ? 1 / measuredSeconds : null;
    const ceilingTpsTheoretical = theoreticalSeconds != null && theoreticalSeconds > 0 ? 1 / theoreticalSeconds : null;
    const bound: Bound = split.gpu === 0 ? "cpu-memory" : split.cpu <= split.total * 1e-3 ? "gpu-memory" : "mixed";
    const measured = options.measuredTps != null && options.measuredTps > 0 ? options.measuredTps : null;
    const efficiency = measured != null && ceilingTps != null ? measured / ceilingTps : null;

    const info: CeilingInfo = {
        bytesPerToken: Math.round(split.total),
        ceilingTps: round(ceilingTps, 3),
        ceilingTpsTheoretical: round(ceilingTpsTheoretical, 3),
        efficiency: round(efficiency, 4),
        bound,
        depth: options.depth ?? 0,
        weightBytesPerToken: Math.round(split.weights),
        kvBytesPerToken: Math.round(split.kv),
        cpuBytesPerToken: Math.round(split.cpu),
        gpuBytesPerToken: Math.round(split.gpu),
        cpuBandwidthGBs: options.cpuBandwidthGBs ?? null,
        gpuBandwidthGBs: split.gpu > 0 ? options.gpuBandwidthGBs ?? null : null
    };
    // Faster than the ceiling means the model of the machine is wrong (bytes counted, bandwidth, or the
    // data came from cache): say so, never clip.
    if (measured != null && ceilingTps != null && measured > ceilingTps) {
        info.modelError = `measured ${measured.toFixed(2)} t/s exceeds the ${ceilingTps.toFixed(2)} t/s bandwidth ceiling ` +
            `(${formatBytes(split.total)} per token): the weights are likely served from CPU cache, or the bandwidth probe under-read`;
    }
    return info;
}

/** Read bandwidth available to `threads` threads: the single-thread figure scaled, up to the all-cores one. */
export function bandwidthForThreads(bandwidth: BandwidthMeasurement | null | undefined, threads: number): number | null {
    if (bandwidth == null)
        return null;
    if (threads <= 1)
        return bandwidth.read1GBs;
    return Math.min(bandwidth.readAllGBs, bandwidth.read1GBs * threads);
}

/** Mean KV depth while generating: the prompt, plus half the generated tokens on average. */
export function meanGenerationDepth(config: Pick<TestConfig, "nPrompt" | "nGen">): number {
    return config.nPrompt + config.nGen / 2;
}

/** The bench runner's hook: adds the ceiling columns, and a line on the gap, to one result row. */
export function annotateResultWithCeiling(result: TestResult, model: ModelInfo, hw: HardwareProfile): TestResult {
    const config = result.config;
    // The layers really offloaded when the load says; on the CPU backend nothing is offloaded.
    const gpuLayers = result.load?.gpuLayers ?? (hw.backends.used === "cpu" ? 0 : config.gpuLayers);
    const gpu = hw.gpus[0];
    const measuredTps = result.status === "ok" && config.nGen > 0 && result.stats != null && result.stats.tgTps.n > 0
        ? result.stats.tgTps.mean
        : null;
    const ceiling = computeCeiling({
        model,
        depth: meanGenerationDepth(config),
        gpuLayers,
        cpuBandwidthGBs: bandwidthForThreads(hw.bandwidth.value, config.threads),
        cpuTheoreticalGBs: hw.memory.theoreticalGBs.value,
        gpuBandwidthGBs: gpu?.bandwidthGBs.value ?? null,
        measuredTps
    });
    const explanation = explainGap({
        ceiling,
        threads: config.threads,
        physicalCores: hw.cpu.physicalCores.value,
        cacheBytes: hw.cpu.lastLevelCacheBytes?.value ?? null,
        stats: result.stats,
        ...busiestBackground(result),
        binary: result.env.binary
    });
    return {...result, ceiling: {...ceiling, explanation}};
}

export interface ExplainGapOptions {
    ceiling: CeilingInfo,
    /** "tg": generation (bandwidth-bound); "pp": prompt processing (compute-bound, not predicted). */
    phase?: "tg" | "pp",
    threads?: number,
    physicalCores?: number | null,
    /** Last-level cache, to say when a model fits in it. */
    cacheBytes?: number | null,
    /** The row's measured stats: for the sampling share of each token, and prompt vs generation rate. */
    stats?: TestResult["stats"],
    /** The most CPU cores other processes kept busy during any repetition (null where unknown). */
    backgroundCores?: number | null,
    /** Of backgroundCores: the cores the virtual machine's host took (steal), where known. */
    stealCores?: number | null,
    /** The row's binary as describeBinary put it, e.g. "localBuild (threads: openmp)". */
    binary?: string
}

/** Sampling at or above this share of each generated token's time is worth naming. */
const SAMPLING_SHARE_WORTH_NAMING = 0.2;

/** One plain-words line on why a measured rate sits where it does against its ceiling. The single source of
 *  this reasoning: the runner stores it as ceiling.explanation, and every front end shows that. */
export function explainGap(options: ExplainGapOptions): string {
    const {ceiling, phase = "tg", threads, physicalCores, cacheBytes, stats, backgroundCores, stealCores, binary} = options;
    if (phase === "pp")
        return "compute-bound: prompt processing shares each weight read across the batch, so the bandwidth ceiling does not predict it";

    const tgMeasured = stats != null && stats.tgTps.n > 0 && positive(stats.tgTps.mean);
    // Sampling runs on the CPU between decodes: time no memory bandwidth can buy back.
    const samplingShare = stats != null && tgMeasured && positive(stats.tgMsPerToken.mean)
        ? stats.sampleMsPerToken.mean / stats.tgMsPerToken.mean
        : null;
    const samplingNamed = samplingShare != null && Number.isFinite(samplingShare) && samplingShare >= SAMPLING_SHARE_WORTH_NAMING;
    const parts: string[] = [];
    if (ceiling.modelError != null) {
        parts.push(cacheBytes != null && ceiling.bytesPerToken <= cacheBytes
            ? `above the ceiling: the ${formatBytes(ceiling.bytesPerToken)} read per token fits in the ${formatBytes(cacheBytes)} CPU cache, which is faster than RAM`
            : `above the ceiling: ${ceiling.modelError}`);
    } else if (ceiling.ceilingTps == null) {
        // Efficiency is only taken against a measured bandwidth; a spec-sheet figure is still worth giving.
        parts.push(ceiling.ceilingTpsTheoretical != null
            ? `spec-sheet ceiling only: ${ceiling.ceilingTpsTheoretical.toFixed(1)} t/s (the memory bandwidth was not measured)`
            : "no ceiling: the memory bandwidth is unknown (measure it, or describe the RAM / GPU)");
    } else if (ceiling.efficiency != null) {
        const percent = `${Math.round(ceiling.efficiency * 100)}%`;
        if (ceiling.bound === "mixed")
            parts.push(`partial offload: ${percent} of the split ceiling`);
        else if (ceiling.efficiency >= 0.5)
            // The GPU has no probe: its ceiling comes from the spec table, not a measurement.
            parts.push(ceiling.bound === "gpu-memory"
                ? `GPU memory-bound: ${percent} of the spec-sheet VRAM bandwidth ceiling`
                : `memory-bound: ${percent} of the measured-bandwidth ceiling`);
        else
            // When sampling is measured to be the overhead, the line names it below instead of guessing.
            parts.push(`${percent} of the bandwidth ceiling: time goes to compute or overhead${samplingNamed ? "" : " (few threads, a small model, sampling)"}, not memory`);
    } else {
        parts.push(`${stats != null && !tgMeasured ? "no generation measured; " : ""}ceiling ${ceiling.ceilingTps.toFixed(1)} t/s (${ceiling.bound})`);
    }

    if (ceiling.bound === "mixed" && ceiling.cpuBytesPerToken != null && ceiling.gpuBytesPerToken != null
        && ceiling.cpuBandwidthGBs != null && ceiling.gpuBandwidthGBs != null) {
        const cpuSeconds = ceiling.cpuBytesPerToken / (ceiling.cpuBandwidthGBs * 1e9);
        const gpuSeconds = ceiling.gpuBytesPerToken / (ceiling.gpuBandwidthGBs * 1e9);
        const share = cpuSeconds / (cpuSeconds + gpuSeconds);
        if (share > 0.5)
            parts.push(`CPU layers dominate (${Math.round(share * 100)}% of the time per token at the ceiling)`);
        else
            parts.push(`GPU layers take ${Math.round((1 - share) * 100)}% of the time per token at the ceiling`);
    }
    if (threads != null && physicalCores != null && threads > physicalCores)
        parts.push(`threads (${threads}) exceed physical cores (${physicalCores}): extra threads share cores and often slow generation`);
    // node-llama-cpp runs each decode on whichever libuv worker is free; an OpenMP runtime keeps a thread team
    // per calling thread, so at 2+ threads the teams compete for the cores (seen here: a local OpenMP build
    // generating at 0.69 of the prebuilt binary's rate on 2 threads).
    if (threads != null && threads >= 2 && binary != null && /\bthreads: openmp\b/.test(binary))
        parts.push("this llama.cpp build runs its threads with OpenMP, which node-llama-cpp's thread hopping slows at 2+ threads: the prebuilt binary is likely faster");
    if (backgroundCores != null && backgroundCores >= BUSY_MACHINE_CORES) {
        // Only the host's share worth naming: a user can close other processes, not other guests.
        const hostShare = stealCores != null && stealCores >= BUSY_MACHINE_CORES / 2
            ? `, ${stealCores.toFixed(1)} of them taken by the virtual machine's host (steal)`
            : "";
        parts.push(`the machine was busy: other processes kept ${backgroundCores.toFixed(1)} cores busy during a repetition${hostShare}, so these figures are unreliable`);
    }
    if (ceiling.kvBytesPerToken != null && ceiling.kvBytesPerToken > 0.25 * ceiling.bytesPerToken)
        parts.push(`the KV cache is ${Math.round((ceiling.kvBytesPerToken / ceiling.bytesPerToken) * 100)}% of the bytes read at depth ${ceiling.depth}`);
    if (samplingNamed)
        parts.push(`sampling takes ${Math.round(samplingShare * 100)}% of each token`);
    if (stats != null && tgMeasured && stats.ppTps.n > 0 && positive(stats.ppTps.mean))
        parts.push(`prompt processing is compute-bound (${(stats.ppTps.mean / stats.tgTps.mean).toFixed(1)}× the generation rate)`);
    return parts.join("; ");
}

/** A finite number above zero (an imported row may hold NaN for what was not measured). */
function positive(value: number): boolean {
    return Number.isFinite(value) && value > 0;
}

function round(value: number | null, digits: number): number | null {
    if (value == null || !Number.isFinite(value))
        return null;
    const factor = 10 ** digits;
    return Math.round(value * factor) / factor;
}

function formatBytes(bytes: number): string {
    if (bytes >= 1e9)
        return `${(bytes / 1e9).toFixed(2)} GB`;
    if (bytes >= 1e6)
        return `${(bytes / 1e6).toFixed(1)} MB`;
    return `${(bytes / 1e3).toFixed(1)} kB`;
}
