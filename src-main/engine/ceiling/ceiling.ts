// The roofline for token generation: every generated token reads the weights it uses once, plus the KV
// cache at the current depth, so tokens/s <= bandwidth / bytes read per token. With a layer split, the
// GPU's share streams from VRAM and the rest from system RAM, one after the other:
//     time per token >= bytes_on_gpu / gpu_bandwidth + bytes_on_cpu / cpu_bandwidth.
// Prompt processing is different: a batch of tokens shares each weight read, so it is compute-bound and
// not predicted here.
import type {BandwidthMeasurement, BinaryInfo, Bound, CeilingInfo, HardwareProfile, ModelInfo, TestConfig, TestResult, ThreadProbe} from "../types.js";
import {formatThreadProbe} from "../bench/formatThreadProbe.js";
import {BUSY_MACHINE_CORES, busiestBackground} from "./busyMachine.js";
import {formatBytes} from "../formatBytes.js";
import {kvValueBytes} from "./kvValueBytes.js";
import {effectiveUbatch} from "../bench/sweepAxisNotes.js";
import {DEFAULT_OP_OFFLOAD_MIN_BATCH} from "../llama/opOffloadMinBatch.js";

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
    outputOnGpu: boolean,
    /** One repeating layer's bytes (weights + its KV at this depth), and the output head's: what each GPU layer moves. */
    perLayer: number,
    outputHead: number
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
    return {total: cpu + gpu, weights: cpu + gpu - kv, kv, cpu, gpu, gpuRepeatingLayers, outputOnGpu,
        perLayer: model.bytesPerLayer + kvLayer, outputHead};
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
export function secondsPerToken(split: Pick<BytesPerToken, "cpu" | "gpu">, cpuGBs: number | null | undefined, gpuGBs: number | null | undefined): number | null {
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
        layerBytesPerToken: Math.round(split.perLayer),
        outputHeadBytes: Math.round(split.outputHead),
        cpuBandwidthGBs: options.cpuBandwidthGBs ?? null,
        gpuBandwidthGBs: split.gpu > 0 ? options.gpuBandwidthGBs ?? null : null
    };
    // Faster than the ceiling means the model of the machine is wrong (bytes counted, bandwidth, or the
    // data came from cache): say so, never clip.
    if (measured != null && ceilingTps != null && measured > ceilingTps) {
        info.modelError = `measured ${measured.toFixed(2)} t/s exceeds the ${ceilingTps.toFixed(2)} t/s bandwidth ceiling ` +
            `(${formatBytes(split.total)} per token): the weights are likely served from CPU cache, or the bandwidth probe under-read`;
    } else if (measured != null && ceilingTps == null && ceilingTpsTheoretical != null && measured > ceilingTpsTheoretical) {
        // A spec-sheet ceiling is held to the same test: a measured rate above it means a wrong spec or byte count.
        info.modelError = `measured ${measured.toFixed(2)} t/s exceeds the ${ceilingTpsTheoretical.toFixed(2)} t/s spec-sheet ceiling ` +
            `(${formatBytes(split.total)} per token): the memory's spec is likely wrong (more channels or a faster rate than detected), ` +
            "or the weights are served from CPU cache";
    }
    return info;
}

/**
 * Read bandwidth available to `threads` threads: the single-thread figure scaled, up to the all-cores one, and
 * never below the single-thread figure. More threads can use the bandwidth one thread has; an all-cores reading
 * below it was taken while other work held the cores (seen here: 21.7 against 56.0 GB/s on two starts), and
 * would make the 2-thread ceiling fall below the 1-thread one.
 */
export function bandwidthForThreads(bandwidth: BandwidthMeasurement | null | undefined, threads: number): number | null {
    if (bandwidth == null)
        return null;
    if (threads <= 1)
        return bandwidth.read1GBs;
    return Math.max(bandwidth.read1GBs, Math.min(bandwidth.readAllGBs, bandwidth.read1GBs * threads));
}

/** Mean KV depth while generating: the tokens already cached (n_depth), the prompt, plus half the generated tokens on average. */
export function meanGenerationDepth(config: Pick<TestConfig, "nPrompt" | "nGen" | "nDepth">): number {
    return (config.nDepth ?? 0) + config.nPrompt + config.nGen / 2;
}

/**
 * Bytes per cached value, the mean of K and V (the cache holds as many of each): f16 2, q8_0 34/32, q4_0 18/32.
 * A q4_0 cache at depth 1024 reads 0.28 of the f16 cache's bytes.
 */
export function kvBytesPerElementOf(config: Pick<TestConfig, "typeK" | "typeV">): number {
    return (kvValueBytes(config.typeK) + kvValueBytes(config.typeV)) / 2;
}

/** llama.cpp pads the KV cells its attention spans to a multiple of this, and never fewer (llama_kv_cache::get_n_kv). */
const KV_CELL_PADDING = 256;

/**
 * Mean KV cells read per generated token. llama.cpp's attention spans n_kv = max(256, used cells padded to 256),
 * capped at the cache size. Without flash attention the K and V matrix products read every one of those cells;
 * the flash-attention kernel skips masked cells, so it reads only the real depth. At depth 20 on a 7B model,
 * counting the depth alone made the flash-off ceiling ~3% high.
 */
export function kvCellsRead(config: Pick<TestConfig, "nPrompt" | "nGen" | "nDepth" | "flashAttention" | "contextSize">): number {
    if (config.flashAttention || config.nGen <= 0)
        return meanGenerationDepth(config);
    const before = (config.nDepth ?? 0) + config.nPrompt;
    let cells = 0;
    for (let k = 0; k < config.nGen; k++) {
        const padded = Math.max(KV_CELL_PADDING, Math.ceil((before + k + 1) / KV_CELL_PADDING) * KV_CELL_PADDING);
        cells += config.contextSize != null ? Math.min(config.contextSize, padded) : padded;
    }
    return cells / config.nGen;
}

/** The bench runner's hook: adds the ceiling columns, and a line on the gap, to one result row. */
export function annotateResultWithCeiling(result: TestResult, model: ModelInfo, hw: HardwareProfile): TestResult {
    const config = result.config;
    // The layers really offloaded when the load says; on the CPU backend nothing is offloaded.
    const gpuLayers = result.load?.gpuLayers ?? (hw.backends.used === "cpu" ? 0 : config.gpuLayers);
    const gpu = hw.gpus[0];
    // The ceiling bounds llama.cpp's decode, so it is held against the decode rate (its own counters); the
    // end-to-end rate also pays for sampling and the binding, which no memory bandwidth buys back.
    const stats = result.status === "ok" && config.nGen > 0 ? result.stats : undefined;
    const measuredTps = stats == null ? null
        : stats.tgDecodeTps != null && stats.tgDecodeTps.n > 0 ? stats.tgDecodeTps.mean
        : stats.tgTps.n > 0 ? stats.tgTps.mean
        : null;
    const cpuBandwidthGBs = bandwidthForThreads(hw.bandwidth.value, config.threads);
    // A software device's "VRAM" is system RAM: its bandwidth is the CPU's, not a table's (unless the user said).
    const software = result.env.gpuKind === "software" && gpu?.bandwidthGBs.source !== "user";
    const ceiling = computeCeiling({
        model,
        depth: kvCellsRead(config),
        kvBytesPerElement: kvBytesPerElementOf(config),
        gpuLayers,
        cpuBandwidthGBs,
        cpuTheoreticalGBs: hw.memory.theoreticalGBs.value,
        gpuBandwidthGBs: software ? cpuBandwidthGBs : gpu?.bandwidthGBs.value ?? null,
        measuredTps
    });
    const explanation = explainGap({
        ceiling,
        threads: config.threads,
        physicalCores: hw.cpu.physicalCores.value,
        cacheBytes: hw.cpu.lastLevelCacheBytes?.value ?? null,
        stats: result.stats,
        ...busiestBackground(result),
        binary: result.env.binary,
        threadProbe: result.threadProbe,
        engine: result.engine,
        kvTypes: config
    });
    return {...result, ceiling: {...ceiling, explanation: [deviceNote(result), explanation].filter((part) => part !== "").join(" ")}};
}

/** Which work ran where, when a device was in use: it is not only the offloaded layers. */
function deviceNote(result: TestResult): string {
    if (result.env.backend === "cpu" || result.load == null)
        return "";
    const device = result.env.gpu;
    const offloaded = result.load.offloadedLayers ?? result.load.gpuLayers;
    const parts: string[] = [];
    if (result.env.gpuKind === "software")
        parts.push("The device is software (runs on the CPU): its memory is system RAM, so RAM bandwidth bounds it too.");
    const largestBatch = Math.min(Math.max(result.config.nPrompt, result.config.nDepth ?? 0), effectiveUbatch(result.config));
    const threshold = result.load.opOffloadMinBatch ?? DEFAULT_OP_OFFLOAD_MIN_BATCH;
    if (offloaded === 0 && largestBatch >= threshold)
        parts.push(`No layer was offloaded, yet llama.cpp ran large-batch matrix work (batches of ${threshold}+ tokens: ` +
            `the prompt) on ${device}: this is not a CPU run (on a slow or software device prompts run slower than ` +
            "with --cpu, on a real GPU faster).");
    else if (offloaded === 0)
        parts.push(`No layer was offloaded and no batch reached llama.cpp's ${threshold}-token op-offload threshold: ` +
            `${device} held buffers only, the CPU did the work.`);
    return parts.join(" ");
}

export interface ExplainGapOptions {
    ceiling: CeilingInfo,
    /** "tg": generation (bandwidth-bound); "pp": prompt processing (compute-bound, not predicted). */
    phase?: "tg" | "pp",
    threads?: number,
    physicalCores?: number | null,
    /** Last-level cache, to say when a model fits in it. */
    cacheBytes?: number | null,
    /** The row's measured stats: for the share of each token spent outside llama.cpp, and prompt vs generation rate. */
    stats?: TestResult["stats"],
    /** The most CPU cores other processes kept busy during any repetition (null where unknown). */
    backgroundCores?: number | null,
    /** Of backgroundCores: the cores the virtual machine's host took (steal), where known. */
    stealCores?: number | null,
    /** The row's binary (describeBinary). */
    binary?: BinaryInfo,
    /** The probe that chose the row's threads, when they were "auto". */
    threadProbe?: ThreadProbe,
    /** What measured the row (absent: LlamaMeter's runner over node-llama-cpp). */
    engine?: TestResult["engine"],
    /** The row's KV-cache types, when known: a KV-heavy f16 row is told the quantized cache's share. */
    kvTypes?: Pick<TestConfig, "typeK" | "typeV">
}

/** What starting ggml's worker threads afresh costs a token at 2 threads (see explainGap), measured on a 2-core VM. */
const THREAD_START_MS_PER_TOKEN = 0.4;
/** That cost at or above this share of a token's decode time is worth naming. */
const THREAD_START_SHARE_WORTH_NAMING = 0.05;

/**
 * The share of a LlamaMeter row's decode time that node-llama-cpp loses to starting llama.cpp's worker threads
 * afresh for every token, when it is worth naming (null otherwise: 1 thread, a llama-bench row, a slow model).
 * node-llama-cpp attaches no thread pool, so ggml starts its worker threads for every token (one clone3 per decode
 * under strace); llama-bench keeps a polling pool. Measured on a 2-core VM, llama-bench running the same prebuilt
 * kernels: 0.71 of its decode rate on a 30m model at 2 threads (863 against 1212 t/s), 0.94 on a 220m, 0.97 on a
 * 1B, and level at 1 thread: about 0.3-0.5 ms lost per token, which only matters when tokens are fast.
 */
export function threadStartShare(row: {threads?: number | null, engine?: TestResult["engine"], stats?: TestResult["stats"]}): number | null {
    const decode = row.stats?.tgDecodeTps;
    if (row.threads == null || row.threads < 2 || row.engine === "llama-bench" || decode == null || decode.n === 0 || !positive(decode.mean))
        return null;
    const share = THREAD_START_MS_PER_TOKEN * decode.mean / 1000;
    return share >= THREAD_START_SHARE_WORTH_NAMING ? share : null;
}

/** Time outside llama.cpp at or above this share of each generated token's time is worth naming. */
const OUTSIDE_SHARE_WORTH_NAMING = 0.2;

/** The share of each generated token's time a row spent outside llama.cpp (sampling, the binding, JavaScript: time
 *  no memory bandwidth buys back), when it is worth naming; null otherwise. */
export function outsideShare(stats: TestResult["stats"] | undefined): number | null {
    if (stats == null || stats.tgTps.n === 0 || !positive(stats.tgTps.mean) || !positive(stats.tgMsPerToken.mean) || stats.outsideMsPerToken == null)
        return null;
    const share = stats.outsideMsPerToken.mean / stats.tgMsPerToken.mean;
    return Number.isFinite(share) && share >= OUTSIDE_SHARE_WORTH_NAMING ? share : null;
}

/** Whether a LlamaMeter row falls measurably short of what llama.cpp's own llama-bench would report for the same
 *  test: worker threads started afresh every token, or a share of each token spent outside llama.cpp (llama-bench's
 *  generation rate is its decode alone). --engine auto runs llama-bench beside such rows. */
export function fallsShortOfNative(row: Pick<TestResult, "config" | "engine" | "stats">): boolean {
    return row.engine !== "llama-bench" && (threadStartShare({threads: row.config.threads, engine: row.engine, stats: row.stats}) != null
        || outsideShare(row.stats) != null);
}

/** One plain-words line on why a measured rate sits where it does against its ceiling. The single source of
 *  this reasoning: the runner stores it as ceiling.explanation, and every front end shows that. */
export function explainGap(options: ExplainGapOptions): string {
    const {ceiling, phase = "tg", threads, physicalCores, cacheBytes, stats, backgroundCores, stealCores, binary, threadProbe, engine, kvTypes} = options;
    if (phase === "pp")
        return "compute-bound: prompt processing shares each weight read across the batch, so the bandwidth ceiling does not predict it";

    const tgMeasured = stats != null && stats.tgTps.n > 0 && positive(stats.tgTps.mean);
    const outside = outsideShare(stats);
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
            // When the time outside llama.cpp is measured to be the overhead, the line names it below instead of guessing.
            parts.push(`${percent} of the bandwidth ceiling: time goes to compute or overhead${outside != null ? "" : " (few threads, a small model)"}, not memory`);
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
    if (threadProbe != null && threadProbe.candidates.length > 1)
        parts.push(`${threadProbe.chosen} thread${threadProbe.chosen === 1 ? "" : "s"} chosen by a probe (${formatThreadProbe(threadProbe)})`);
    if (threads != null && physicalCores != null && threads > physicalCores)
        parts.push(`threads (${threads}) exceed physical cores (${physicalCores}): extra threads share cores and often slow generation`);
    // node-llama-cpp runs each decode on whichever libuv worker is free; an OpenMP runtime keeps a thread team
    // per calling thread, so at 2+ threads the teams compete for the cores (seen here: a local OpenMP build
    // generating at 0.69 of the prebuilt binary's rate on 2 threads).
    if (threads != null && threads >= 2 && binary != null && binary.threadRuntime === "openmp")
        parts.push("this llama.cpp build runs its threads with OpenMP, which node-llama-cpp's thread hopping slows at 2+ threads: the prebuilt binary is likely faster");
    else {
        const share = threadStartShare({threads, engine, stats});
        if (share != null)
            parts.push("node-llama-cpp starts llama.cpp's worker threads afresh for every token, where llama-bench keeps them in a pool: " +
                `on a 2-core VM that cost about ${THREAD_START_MS_PER_TOKEN} ms a token, ~${Math.round(share * 100)}% of this row's decode time ` +
                "(llama-bench, run beside it by --engine auto or both, measures llama.cpp's own rate)");
    }
    if (backgroundCores != null && backgroundCores >= BUSY_MACHINE_CORES) {
        // Only the host's share worth naming: a user can close other processes, not other guests.
        const hostShare = stealCores != null && stealCores >= BUSY_MACHINE_CORES / 2
            ? `, ${stealCores.toFixed(1)} of them taken by the virtual machine's host (steal)`
            : "";
        parts.push(`the machine was busy: other processes kept ${backgroundCores.toFixed(1)} cores busy during a repetition${hostShare}, so these figures are unreliable`);
    }
    if (ceiling.kvBytesPerToken != null && ceiling.kvBytesPerToken > 0.25 * ceiling.bytesPerToken)
        parts.push(`the KV cache is ${Math.round((ceiling.kvBytesPerToken / ceiling.bytesPerToken) * 100)}% of the bytes read at depth ${ceiling.depth}` +
            (kvTypes != null && (kvTypes.typeK ?? "f16") === "f16" && (kvTypes.typeV ?? "f16") === "f16" ? " (a q8_0 KV cache, -ctk/-ctv q8_0 -fa 1, reads about half of it)" : ""));
    if (outside != null)
        parts.push(`time outside llama.cpp (sampling, the binding) takes ${Math.round(outside * 100)}% of each token, ` +
            `so the end-to-end rate is below the decode rate`);
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

