// How much RAM and VRAM one load of a model with one context really takes: the fit advisor's one answer,
// used before a load (assertModelFitsInMemory), in the Models view (fitModel) and beside every row's
// measured peak (ram_estimate_bytes / vram_estimate_bytes).
//
// node-llama-cpp's GgufInsights counts the weights once. A load takes more, measured on a 2-core Xeon with
// AMX (llama.cpp's log beside the worker's /proc/self/status, context 256, flash attention off):
//   - CPU-side weights go into a second, repacked copy in anonymous memory when the CPU has a faster layout
//     for their type: "AMX model buffer size = 571.02 MiB" for the 1B Q4_0 model (Zen 5 with AVX2: CPU_REPACK,
//     519.75 MiB, issue 17), while
//   - the mapped file stays resident too: "CPU_Mapped model buffer size = 555.26 MiB", RssFile +558 MiB.
//     llama.cpp unmaps only what lies outside the first..last tensor it still reads from the mapping, so the
//     resident file part is that span, holes included.
//   - KV cache, output and compute buffers (node-llama-cpp's context estimate matched them within 0.1 MiB).
//   - While loading, all of the file is resident and one tensor's conversion buffer exists: the peak (VmHWM)
//     sat 17 / 43 MiB above the settled RSS for the 116 MB / 1B models (largest repacked tensors 25.6 / 51.3 MiB).
// GgufInsights alone said 155 MiB for the 116 MB model, whose load peaked at 233-253 MiB.
import {GgufInsights, type GgufFileInfo, type Llama} from "node-llama-cpp";
import type {DeviceKind, LlamaKvCacheType} from "../types.js";
import {KV_F16_BYTES, kvBytesPerElementOf} from "./ceiling.js";
import {GGML_TYPE, tensorBytes} from "../models/ggmlTypes.js";
import {DEFAULT_OP_OFFLOAD_MIN_BATCH} from "../llama/opOffloadMinBatch.js";

export interface EstimateMemoryOptions {
    fileInfo: GgufFileInfo,
    gpuLayers: number | "max",
    /** The context asked for; node-llama-cpp pads it to a multiple of 256, and so does the estimate. */
    contextSize: number,
    batchSize?: number,
    /** The flash-attention setting the load really uses (it changes the compute buffers). */
    flashAttention: boolean,
    /** Whether the file is memory-mapped (default true); without it the tensors are read into anonymous memory. */
    useMmap?: boolean,
    /** The KV-cache types (absent: f16): a q8_0 cache is 34/64 of an f16 one, q4_0 18/64. */
    typeK?: LlamaKvCacheType,
    typeV?: LlamaKvCacheType,
    /** llama.cpp's CPU features (system info: AVX2, AVX512, AMX_INT8, NEON, ...): they decide the repack. */
    cpuFeatures: readonly string[],
    /** Whether llama.cpp has a GPU device to use (it then keeps CPU weights in the device's host buffers, never
     *  repacked, and runs large-batch work on the device even at 0 layers). Default: false. */
    deviceInUse?: boolean,
    /** The device's kind: a software device's "VRAM" is this process's RAM, so it counts in both. */
    gpuKind?: DeviceKind | null,
    /** The llama.cpp binaries the load uses, for node-llama-cpp's context estimate. */
    llama?: Llama,
    /** The largest batch the run decodes (a test's prompt tokens). Linux backs a buffer's pages only when they
     *  are written: a 16-token prompt touches a sixteenth of a compute buffer sized for 256-token batches, so a
     *  row's estimate counts that share. Omitted (the fit check), the whole buffer counts. */
    batchTokens?: number,
    /** The batch from which llama.cpp runs CPU-side matrix work on the device (opOffloadMinBatch; default 32). */
    opOffloadMinBatch?: number
}

export interface MemoryEstimate {
    /** anonymous + file-backed: what the bench worker's resident memory grows by at its peak (load or run, the larger). */
    ramBytes: number,
    /** At that peak: repacked weights, KV cache, output and compute buffers or the repack transient, a software device's memory. */
    ramAnonBytes: number,
    /** At that peak: the mapped model file's resident pages (all of it while loading, the span still read after). */
    ramFileBytes: number,
    /** What must fit in RAM: the anonymous peak plus the mapped span a run keeps reading. The file pages read
     *  only while loading are page cache the kernel can drop, so they are in ramBytes but not here. */
    ramRequiredBytes: number,
    /** Weights, KV cache and compute buffers on the device; 0 with no layer offloaded. */
    vramBytes: number,
    /** The parts, for explanations. */
    repackedBytes: number,
    contextRamBytes: number,
    /** Layers placed on the device, llama.cpp's count (the output layer is one), and its total. */
    offloadedLayers: number,
    totalLayers: number
}

/** ggml types the CPU backend repacks into another buffer, by CPU feature, from llama.cpp's ggml-cpu
 *  (amx/common.h qtype_has_amx_kernels; repack.cpp ggml_repack_get_optimal_repack_type). */
const AMX_TYPES = new Set<number>([GGML_TYPE.Q4_0, GGML_TYPE.Q4_1, GGML_TYPE.Q8_0, GGML_TYPE.Q4_K, GGML_TYPE.Q5_K, GGML_TYPE.Q6_K, GGML_TYPE.IQ4_XS]);
const AVX2_REPACK_TYPES = new Set<number>([GGML_TYPE.Q4_0, GGML_TYPE.Q4_K, GGML_TYPE.IQ4_NL, GGML_TYPE.MXFP4]);
const NEON_REPACK_TYPES = new Set<number>([GGML_TYPE.Q4_0, GGML_TYPE.Q4_K, GGML_TYPE.Q5_K, GGML_TYPE.Q6_K, GGML_TYPE.IQ4_NL, GGML_TYPE.Q8_0]);

/** Whether the CPU backend keeps a repacked copy of this weight (2-D matrix weights, never the embedding lookup). */
export function isRepacked(name: string, ggmlType: number, dims: readonly (number | bigint)[], cpuFeatures: readonly string[]): boolean {
    if (dims.length < 2 || name === "token_embd.weight" || !name.endsWith(".weight"))
        return false;
    const rows = Number(dims[1]);
    const has = (feature: string) => cpuFeatures.includes(feature);
    if (has("AMX_INT8") && AMX_TYPES.has(ggmlType))
        return true;
    if (has("AVX2") && rows % 8 === 0 && (AVX2_REPACK_TYPES.has(ggmlType) || (ggmlType === GGML_TYPE.Q2_K && has("AVX512"))))
        return true;
    return has("NEON") && has("DOTPROD") && rows % 4 === 0 && NEON_REPACK_TYPES.has(ggmlType);
}

/** The layer a tensor belongs to: its block number, nLayer for the output layer, -1 for the input (embedding). */
function layerOf(name: string, nLayer: number): number {
    const block = /^blk\.(\d+)\./.exec(name);
    if (block != null)
        return Number(block[1]);
    return name === "token_embd.weight" ? -1 : nLayer;
}

/** Estimates one load's RAM (anonymous and file-backed) and VRAM; see the file comment for what is counted and why. */
export async function estimateMemory(options: EstimateMemoryOptions): Promise<MemoryEstimate> {
    const {fileInfo} = options;
    const insights = await GgufInsights.from(fileInfo, options.llama);
    const nLayer = insights.totalLayers - 1; // node-llama-cpp counts the output layer too, as llama.cpp does
    const totalLayers = nLayer + 1;
    const requested = options.gpuLayers === "max" ? totalLayers : Math.max(0, Math.min(totalLayers, Math.floor(options.gpuLayers)));
    // llama.cpp places the last `requested` of layers 0..nLayer (nLayer = the output layer) on the device.
    const firstGpuLayer = totalLayers - requested;
    const contextSize = Math.ceil(options.contextSize / 256) * 256;
    const deviceInUse = options.deviceInUse ?? false;
    // llama.cpp adds the CPU's repacking buffer types after a device's host buffer type: with a device, none.
    const cpuFeatures = deviceInUse ? [] : options.cpuFeatures;

    let repackedBytes = 0;
    let largestRepacked = 0;
    let deviceWeights = 0;
    let mappedFirst = Infinity;
    let mappedLast = 0;
    let mappedSum = 0;
    let largestCpuWeight = 0;
    for (const tensor of fileInfo.fullTensorInfo ?? []) {
        const bytes = tensorBytes(tensor.ggmlType, tensor.dimensions);
        const layer = layerOf(tensor.name, nLayer);
        if (layer >= 0 && layer >= firstGpuLayer) {
            deviceWeights += bytes;
            continue;
        }
        if (isRepacked(tensor.name, tensor.ggmlType, tensor.dimensions, cpuFeatures)) {
            repackedBytes += bytes;
            largestRepacked = Math.max(largestRepacked, bytes);
            continue;
        }
        if (tensor.dimensions.length >= 2 && tensor.name !== "token_embd.weight")
            largestCpuWeight = Math.max(largestCpuWeight, bytes);
        const offset = Number(tensor.fileOffset);
        mappedFirst = Math.min(mappedFirst, offset);
        mappedLast = Math.max(mappedLast, offset + bytes);
        mappedSum += bytes;
    }
    // The resident span of the mapping; a file info without offsets (none) counts only the tensors.
    const ramFileBytes = mappedLast > mappedFirst ? Math.max(mappedSum, mappedLast - mappedFirst) : mappedSum;

    const context = await insights.estimateContextResourceRequirementsV2({
        contextSize,
        modelGpuLayers: requested,
        flashAttention: options.flashAttention,
        ...(options.batchSize != null ? {batchSize: options.batchSize} : {})
    });
    // node-llama-cpp's context estimate counts an f16 KV cache. It takes KV types too, but without a Llama instance
    // it sized a q8_0 cache at 34 bytes a value (2,251 MiB for a 203 MiB f16 context here): so the f16 estimate is
    // asked, and the difference a quantized cache makes is taken off where the cache lives.
    const kvF16 = kvCacheBytes(fileInfo, contextSize, nLayer, KV_F16_BYTES);
    const kv = kvCacheBytes(fileInfo, contextSize, nLayer, kvBytesPerElementOf(options));
    const kvGpuShare = context.gpuVram > 0 ? Math.min(requested, nLayer) / nLayer : 0;
    let contextVram = context.gpuVram - (kvF16 - kv) * kvGpuShare;
    let contextRam = context.cpuRam - (kvF16 - kv) * (1 - kvGpuShare);
    if (deviceInUse && (contextVram === 0 || requested === 0)) {
        // node-llama-cpp had no GPU binary to ask, or no layer is offloaded (where it said 28.89 MiB for the
        // measured 61.23 below): llama.cpp runs large-batch matrix
        // work on the device whatever the layer count, so the compute buffer is there, grown by the largest
        // weight it copies up from the CPU side; the offloaded layers' KV cache is there too, and the host keeps
        // the rest of the KV cache and a small staging buffer. Measured (116 MB model, lavapipe, context 256):
        // at 0 layers Vulkan0 compute 61.23 MiB (estimated 36.5 + 25.6), Vulkan_Host compute 3.25 (estimated 3.0).
        const uBatch = Math.min(options.batchSize ?? 512, contextSize);
        const hostStaging = 3 * uBatch * embeddingLength(fileInfo) * 4;
        const kvOnDevice = kv * Math.min(requested, nLayer) / nLayer;
        // The compute buffer as the CPU would size it: with a GPU binary, node-llama-cpp splits it its own way.
        const cpuContext = options.llama != null
            ? await (await GgufInsights.from(fileInfo)).estimateContextResourceRequirementsV2({
                contextSize, modelGpuLayers: 0, flashAttention: options.flashAttention,
                ...(options.batchSize != null ? {batchSize: options.batchSize} : {})
            })
            : context;
        contextVram = Math.max(0, cpuContext.cpuRam - kvF16) + kvOnDevice + largestCpuWeight;
        contextRam = kv - kvOnDevice + hostStaging;
    } else if (requested > 0 && contextVram === 0) {
        // No device to judge by: the offloaded layers' share of the context.
        contextVram = context.cpuRam * Math.min(requested, nLayer) / nLayer;
    }
    // The compute buffer's share a run of batchTokens-token batches writes (the KV cache is cleared, so all
    // written). Measured: 1B model, context 8192, flash attention off, 16-token prompt: 1346 MiB peak; the
    // whole buffer would be 1851 MiB.
    const uBatchFull = Math.min(options.batchSize ?? 512, contextSize);
    const touched = options.batchTokens != null ? Math.min(1, Math.max(1, options.batchTokens) / uBatchFull) : 1;
    if (!deviceInUse)
        contextRam = kv + Math.max(0, contextRam - kv) * touched;
    const vramBytes = requested > 0 || deviceInUse ? deviceWeights + contextVram : 0;
    // A software device's memory is this process's RAM: its weights, and the part of its KV and compute
    // buffers a run writes, plus what its driver adds, which depends on whether any kernel ran on it: with no
    // layer offloaded and batches below the op-offload threshold, none does.
    const software = options.gpuKind === "software";
    const largestBatch = Math.min(options.batchTokens ?? uBatchFull, uBatchFull);
    const deviceComputes = requested > 0 || largestBatch >= (options.opOffloadMinBatch ?? DEFAULT_OP_OFFLOAD_MIN_BATCH);
    const noDriver = {anon: 0, file: 0};
    // while loading no kernel has run yet
    const driverLoading = software ? softwareDriver.idle : noDriver;
    const driver = !software ? noDriver : deviceComputes ? softwareDriver.computing : softwareDriver.idle;
    const deviceInRamLoading = software ? deviceWeights + driverLoading.anon : 0;
    const deviceInRam = software ? deviceWeights + (vramBytes - deviceWeights) * touched + driver.anon : 0;
    // Two moments compete for the peak. While loading, every tensor is read through the mapping (all of the file
    // resident) while the repacked copy fills, plus one tensor's conversion buffer. Once running, llama.cpp has
    // unmapped what lies outside the span it still reads, and the context's buffers exist. Measured (CPU, AMX):
    // 116 MB model, load 230 / run 223 MiB estimated, 233 MiB peak; 1B, 1230 / 1167 estimated, 1206 peak,
    // the sampled split of both peaks was the load's (RssFile = the whole file).
    const allTensors = mappedSum + repackedBytes + deviceWeights;
    // Without mmap (useMmap false) nothing is mapped: llama.cpp reads each tensor into its buffer, the ones it does not
    // repack into anonymous memory. Measured (30m Q4_0, CPU, two runs): peaks 35.6 and 41.1 MB without mmap (33.2 and
    // 38.7 anonymous) against 53.4 and 52.8 MB mapped (16.6 and 16.5 file-backed); this estimate says 38.1 and 52.0 MB.
    const mapped = options.useMmap !== false;
    const loading = mapped
        ? {anon: loadOverhead + repackedBytes + largestRepacked + deviceInRamLoading, file: allTensors + driverLoading.file}
        : {anon: loadOverhead + repackedBytes + largestRepacked + deviceInRamLoading + mappedSum, file: driverLoading.file};
    const running = mapped
        ? {anon: loadOverhead + repackedBytes + contextRam + deviceInRam, file: ramFileBytes + driver.file}
        : {anon: loadOverhead + repackedBytes + contextRam + deviceInRam + mappedSum, file: driver.file};
    const peak = loading.anon + loading.file >= running.anon + running.file ? loading : running;
    return {
        ramBytes: peak.anon + peak.file,
        ramAnonBytes: peak.anon,
        ramFileBytes: peak.file,
        ramRequiredBytes: Math.max(loading.anon, running.anon) + running.file,
        vramBytes,
        repackedBytes,
        contextRamBytes: contextRam,
        offloadedLayers: requested,
        totalLayers
    };
}

/** K and V for every layer and cell: n_layer x n_ctx x (n_embd / n_head x n_head_kv) x 2 x bytes per value (f16: 2). */
function kvCacheBytes(fileInfo: GgufFileInfo, contextSize: number, nLayer: number, bytesPerValue: number): number {
    const llama = fileInfo.architectureMetadata as {embedding_length?: number, attention?: {head_count?: number, head_count_kv?: number}};
    const nEmbd = Number(llama.embedding_length ?? 0);
    const nHead = Number(llama.attention?.head_count ?? 1);
    const nHeadKv = Number(llama.attention?.head_count_kv ?? nHead);
    return nLayer * contextSize * (nEmbd / nHead) * nHeadKv * 2 * bytesPerValue;
}

function embeddingLength(fileInfo: GgufFileInfo): number {
    return Number((fileInfo.architectureMetadata as {embedding_length?: number}).embedding_length ?? 0);
}

/**
 * What any load adds beside its buffers and file pages: llama.cpp's model and context structures, graph
 * metadata, thread stacks and the binding's objects. Measured: the tiny model (0.9 MB file, 1.9 MiB of
 * buffers) raised the bench worker's peak by 17.7 MiB.
 */
const loadOverhead = 15 * 1024 * 1024;

/**
 * What a software device's driver itself adds to the process, beside the device buffers counted above: measured on
 * Mesa's lavapipe, the only software device at hand (30m, 220m and 1B Q4_0 models, context 256-512, 1 thread,
 * one test per worker), as the measured peak minus this estimate without it:
 *   - idle (buffers allocated, no kernel run: 0 layers and an 8-token prompt, and the moment of loading):
 *     anonymous +9.1 / +11.6 MiB, file-backed +14.9 / +15.0 MiB (220m / 30m);
 *   - computing (32-256-token prompts at 0 layers): anonymous +42.7 to +50.8 MiB, file-backed +19.9 to +20.6 MiB.
 * The file-backed part is library code: /proc/self/smaps put 7.9 MiB in libggml-vulkan.so while loading, then
 * 13.4 MiB in libLLVM-15 and 2.5 MiB in libvulkan_lvp.so when the first kernels ran (lavapipe compiles them with
 * LLVM). The anonymous part's owner is not identified (most likely the compiled pipelines and the driver's
 * threads): these are measurements, constants, not a model that scales with the weights.
 */
const softwareDriver = {
    idle: {anon: 10 * 1024 * 1024, file: 15 * 1024 * 1024},
    computing: {anon: 48 * 1024 * 1024, file: 20 * 1024 * 1024}
} as const;
