// The engine's shared types. Plain data only (JSON-serialisable), so they cross the child-process
// boundary, the IPC/HTTP API and the results file unchanged. One file on purpose, though long: a result row's
// parts (config, environment, samples, stats, ceiling, memory, latency, energy) and the closed sets are read
// together by the engine, the contract and the column table, and each is documented where it is declared.

/** GGML tensor types the synthetic writer can produce (GGUF `ggml_type` names, lower-case). */
/** The weight types the sizes, ceilings and predictions know. */
export const WEIGHT_TYPES = ["f32", "f16", "q8_0", "q4_0", "q4_k", "q6_k"] as const;
export type WeightType = (typeof WEIGHT_TYPES)[number];
/** The weight types users write synthetic models in (the CLI's synth, the app's form, the API), most useful first. */
export const SYNTHETIC_WEIGHT_TYPES = ["q4_0", "q4_k", "q8_0", "f16"] as const satisfies readonly WeightType[];
export type SyntheticWeightType = (typeof SYNTHETIC_WEIGHT_TYPES)[number];

/** The shape of a LLaMA-architecture model. */
export interface ModelShape {
    vocabSize: number,
    nEmbd: number,
    nLayer: number,
    nHead: number,
    /** Key/value heads (grouped-query attention when below nHead). */
    nHeadKv: number,
    nFf: number,
    contextLength: number
}

/** A source of a hardware fact: which library or file said it. */
export type FactSource = "systeminformation" | "node-llama-cpp" | "os-file" | "measured" | "user" | "table" | "none";

/** A value that may be unknown on this machine (VMs hide much); never a guess. */
export interface Fact<T> {
    value: T | null,
    source: FactSource,
    /** Free text, e.g. the file read or why it is unknown. */
    note?: string
}

/** What kind of device llama.cpp can offload to: a software device (e.g. Mesa's lavapipe) is a CPU dressed as a GPU. */
export const DEVICE_KINDS = ["discrete", "integrated", "software"] as const;
export type DeviceKind = typeof DEVICE_KINDS[number];

/** One device a llama.cpp GPU backend can use, as llama.cpp itself reports it (listLlamaDevices). */
export interface LlamaDevice {
    /** The backend's own device index (GGML_VK_VISIBLE_DEVICES / CUDA_VISIBLE_DEVICES numbering). */
    index: number,
    backend: string,
    name: Fact<string>,
    kind: Fact<DeviceKind>,
    vramTotalBytes: Fact<number>,
    vramFreeBytes: Fact<number>,
    /** Whether llama.cpp uses it when nothing is asked: it skips software devices. */
    usedByDefault: boolean
}

/** What inspectModel tells of a GGUF file. */
export interface ModelInfo {
    file: string,
    fileName: string,
    fileBytes: number,
    architecture: string,
    name?: string,
    parameters: number,
    /** Dominant weight type over the repeating layers' matrices, e.g. "Q4_0". */
    weightType: string,
    /** GGUF general.file_type name where set, e.g. "MOSTLY_Q4_0". */
    fileType?: string,
    /** Tensor kind ("attn_q", "ffn_down", "token_embd", "output", ...) -> ggml type names seen. */
    tensorTypes: Record<string, string[]>,
    nLayer: number,
    nEmbd: number,
    nHead: number,
    nHeadKv: number,
    nFf: number,
    vocabSize: number,
    contextLength: number,
    /** Bytes of tensor data in one repeating layer (mean over layers). */
    bytesPerLayer: number,
    /** Token embedding table bytes (a lookup per token, not a full read). */
    tokenEmbdBytes: number,
    /** Output head + final norm bytes (read in full for every token). */
    outputBytes: number,
    /** All tensor data bytes. */
    tensorBytes: number,
    /** Whether the file says it was written by LlamaMeter's synthetic writer. */
    synthetic: boolean,
    /**
     * The legacy format ("ggjt v3") the model file is in: LlamaMeter runs its GGUF conversion. In a row, file
     * and fileName name the legacy source file.
     */
    convertedFrom?: string
}

/** One benchmark test: the scalars of one run (a sweep expands into these). */
export interface TestConfig {
    modelPath: string,
    /** Layers to offload to the GPU; "max" = all. 0 on CPU-only machines. */
    gpuLayers: number | "max",
    threads: number,
    batchSize: number,
    /** Context size; default nPrompt + nGen, as llama-bench (defaultContextSize). */
    contextSize?: number,
    nPrompt: number,
    nGen: number,
    reps: number,
    /** Flash attention: llama-bench's default is "auto"-like; recorded in every row. */
    flashAttention: boolean,
    /**
     * Tokens already in the KV cache before the timed prompt (llama-bench's -d / n_depth): the prompt is processed at
     * this depth and generation runs at nDepth + nPrompt. Absent (older rows) means 0: generation at depth nPrompt.
     */
    nDepth?: number,
    /**
     * KV-cache element types (llama-bench's -ctk / -ctv, columns type_k / type_v); absent means f16, llama.cpp's default.
     * A sweep asks for KV_CACHE_TYPES; an imported llama-bench row may hold any type llama.cpp caches in.
     */
    typeK?: LlamaKvCacheType,
    typeV?: LlamaKvCacheType,
    /**
     * Micro-batch (llama-bench's -ub / n_ubatch): the tokens llama.cpp computes in one graph; absent means equal to
     * batchSize (node-llama-cpp ties n_ubatch to n_batch). llama.cpp caps it at the batch size.
     */
    ubatchSize?: number,
    /** Whether the model file is memory-mapped (llama-bench's use_mmap); absent means yes, the default of both. */
    useMmap?: boolean
}

/** KV-cache types a sweep can ask for (ggml type names, as llama-bench's -ctk / -ctv take them). */
export const KV_CACHE_TYPES = ["f16", "q8_0", "q4_0"] as const;
export type KvCacheType = (typeof KV_CACHE_TYPES)[number];

/** Every KV-cache type llama.cpp accepts (kv_cache_types in its common/arg.cpp): what an imported row may hold. */
export const LLAMA_KV_CACHE_TYPES = ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1"] as const;
export type LlamaKvCacheType = (typeof LLAMA_KV_CACHE_TYPES)[number];

/**
 * Threads in a sweep: a count, or "auto": the fastest count from 1 to the physical cores, found for each model
 * by a short probe before its tests (see probeThreads). On small machines the thread count decides everything.
 */
export type ThreadsChoice = number | "auto";

/** A sweep: lists, like llama-bench's command line. */
export interface SweepSpec {
    models: string[],
    gpuLayers: Array<number | "max">,
    threads: ThreadsChoice[],
    batchSizes: number[],
    nPrompt: number[],
    nGen: number[],
    reps: number,
    flashAttention: boolean[],
    contextSize?: number,
    /** Tokens in the KV cache before each test's prompt (llama-bench's -d); default [0]: generation at depth nPrompt. */
    nDepth?: number[],
    /** KV-cache types of K and V (llama-bench's -ctk / -ctv); default ["f16"]. A quantized V needs flash attention. */
    cacheTypeK?: KvCacheType[],
    cacheTypeV?: KvCacheType[],
    /** Micro-batch sizes (llama-bench's -ub); default: each test's batch size. */
    ubatchSizes?: number[],
    /** Memory-map the model file or read it into memory (llama-bench's --mmap / -lm); default [true]. */
    useMmap?: boolean[],
    /**
     * What runs each test (default ["llamameter"]): LlamaMeter's runner over node-llama-cpp (what an app embedding
     * llama.cpp gets), and/or llama.cpp's own llama-bench with the same settings (what Ollama, LM Studio and
     * llama-server users get). With both, each test runs on both, one after the other.
     */
    engines?: Engine[],
    /**
     * With LlamaMeter's engine alone: also run llama-bench, same settings, beside each row that falls measurably short
     * of it (fallsShortOfNative: threads restarted every token at 2+ threads, or a fifth of each token outside llama.cpp),
     * when a llama-bench is at hand (--llama-bench, PATH, or the cached build; never built for this). The CLI's
     * --engine auto, the default.
     */
    nativeWhereShort?: boolean,
    /** The one device llama.cpp may use: its index or part of its name, as `hw` lists it; the only way to use a
     *  software device (CLI --gpu-device). Default: the devices llama.cpp picks itself. See resolveGpuChoice. */
    gpuDevice?: string,
    /** The GPU's memory bandwidth for the ceiling, GB/s, where the spec table has none or is wrong (CLI --gpu-bandwidth). */
    gpuBandwidthGBs?: number,
    /** VRAM the fit check may use instead of the device's free memory, bytes (CLI --vram-budget, in GiB). */
    vramBudgetBytes?: number
}

/** llama.cpp's own perf counters, parsed from its printed timings. */
export interface LlamaPerfTimings {
    loadMs?: number,
    promptEvalMs?: number,
    promptEvalTokens?: number,
    evalMs?: number,
    evalRuns?: number,
    sampleMs?: number,
    sampleRuns?: number,
    totalMs?: number
}

/** One repetition's raw measurements (all wall-clock, in milliseconds). */
export interface RepSample {
    promptTokens: number,
    /** Prompt processing (prefill) of promptTokens. */
    ppMs: number,
    /** From the start of prefill until the first generated token is sampled. */
    ttftMs: number,
    genTokens: number,
    /** Generation of genTokens tokens, end to end as an app sees it (llama.cpp's decode + everything around it). */
    tgMs: number,
    /**
     * Of tgMs: the time outside llama.cpp's decode (tgMs minus llama.cpp's own eval time): sampling, the binding
     * and JavaScript. Absent when llama.cpp's counters were not captured: then it is unknown, never 0.
     */
    outsideMs?: number,
    /** llama.cpp's own counters for this repetition, where captured. */
    llama?: LlamaPerfTimings,
    /**
     * CPU cores other processes kept busy during this repetition (Linux /proc), where known: on a small
     * machine a neighbour's burst slows multi-thread generation many times over.
     */
    backgroundCores?: number,
    /** Of backgroundCores: the cores a virtual machine's host ran other guests on (steal), where known. */
    stealCores?: number,
    /**
     * Each generated token's wall time, in order: the first from the start of generation, each other since the token
     * before it (ms, to the microsecond). They sum to tgMs but for the loop's exit. Absent on rows without them (llama-bench, older rows).
     */
    tokenMs?: number[],
    /** Energy the machine's counters (EnergyMeter) counted during prefill and during generation, joules; absent where none was read. */
    ppEnergyJ?: number,
    tgEnergyJ?: number
}

/** A row's per-token generation latency over all generated tokens of all its repetitions (tokenLatencyOf), ms. */
export interface TokenLatency {
    tokens: number,
    p50: number,
    p90: number,
    p99: number,
    max: number
}

/** What a row's energy counters said (energyOf): figures where read, else the one-line reason why not. */
export interface EnergyRecord {
    /** Mean energy of one repetition (prefill + generation), joules. */
    joules: number | null,
    /** Generated tokens per joule of generation (prefill left out). */
    tokensPerJoule: number | null,
    /** What was read, e.g. "RAPL package-0 (intel-rapl:0)"; null when nothing was. */
    source: string | null,
    /** Why there are no figures (or only some), in one line. */
    note?: string
}

export interface Stats {
    n: number,
    mean: number,
    /** Sample standard deviation (n - 1); 0 when n < 2. */
    sd: number,
    median: number,
    min: number,
    max: number
}

/** The GPU backends llama.cpp has (node-llama-cpp's prebuilt binaries: CUDA, Vulkan, Metal). */
export const GPU_BACKENDS = ["cuda", "vulkan", "metal"] as const;
export type GpuBackend = (typeof GPU_BACKENDS)[number];

/** What runs llama.cpp's compute threads: an OpenMP runtime or ggml's own thread pool. */
export const THREAD_RUNTIMES = ["openmp", "ggml"] as const;
export type ThreadRuntime = (typeof THREAD_RUNTIMES)[number];

/** Which llama.cpp binary ran: facts, formatted only at the edges (formatBinary). */
export interface BinaryInfo {
    /** "prebuilt" (node-llama-cpp's npm packages), "localBuild" (built on this machine), "llama-bench", or "unknown". */
    buildType: string,
    /** The CPU kernel variant ggml loaded (haswell, skylakex, sapphirerapids, zen4, ...); null where unknown. */
    cpuVariant: string | null,
    threadRuntime: ThreadRuntime | null,
    /** A local build's CMake options, "KEY=VALUE ..." (they decide its kernels). */
    cmakeOptions?: string,
    /** Where the binary came from, for binaries LlamaMeter did not load itself (the native engine's llama-bench). */
    origin?: string,
    /** The CPU kernel library ggml loaded (a prebuilt package's libggml-cpu-<variant>.so), where it was read: the
     *  native engine runs llama-bench over the same one (sameKernelsLibDir). */
    cpuLibrary?: string
}

/** Where and with what the test ran. */
export interface BenchEnvironment {
    cpu: string,
    physicalCores: number | null,
    gpu: string,
    /** llama.cpp backend used: "cpu", "cuda", "vulkan", "metal". */
    backend: string,
    /** The kind of the GPU device used, where known (a software device runs on the CPU). */
    gpuKind?: DeviceKind,
    llamaCppRelease: string,
    nodeLlamaCppVersion: string,
    /** Which llama.cpp binary ran (formatBinary makes its one-line text). */
    binary: BinaryInfo,
    os: string,
    /** libuv pool threads in the process that ran llama.cpp (they run node-llama-cpp's decodes), where known. */
    uvThreadpoolSize?: number
}

export const TEST_STATUSES = ["ok", "error", "cancelled"] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

/** Whether the model file was in the OS page cache before a load. */
export const PAGE_CACHE_STATES = ["warm", "partial", "cold", "unknown"] as const;
export type PageCacheState = (typeof PAGE_CACHE_STATES)[number];

/** How a model load went. */
export interface LoadRecord {
    ms: number,
    /** Whether the file was already in the OS page cache before loading. */
    pageCache: PageCacheState,
    /** Fraction of the file in the OS page cache before loading (fincore), when known. */
    pageCacheFraction?: number,
    /** Layers really offloaded. */
    gpuLayers: number,
    /** llama.cpp's own "offloaded X/Y layers to GPU" (Y counts the output layer), when it logged one. */
    offloadedLayers?: number,
    totalLayers?: number,
    /** True when this test reused the load of an earlier test in the same sweep (same model and gpuLayers). */
    reused?: boolean,
    /** The batch from which llama.cpp ran CPU-side matrix work on a device (the worker's GGML_OP_OFFLOAD_MIN_BATCH,
     *  else 32); recorded when a device was in use. */
    opOffloadMinBatch?: number
}

/** What measured a row: LlamaMeter itself, or llama.cpp's llama-bench (run by LlamaMeter with the same settings, or imported from its -o csv / -o json output). */
export const ENGINES = ["llamameter", "llama-bench"] as const;
export type Engine = (typeof ENGINES)[number];

/** The files an import reads. */
export const IMPORT_FORMATS = ["llamameter-csv", "llama-bench-csv", "llama-bench-json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One finished test: a row of the results file. */
export interface TestResult {
    id: string,
    /** What measured it; unset means LlamaMeter. */
    engine?: Engine,
    /** Set on rows that came from an import rather than a run here: what was read, and when. */
    imported?: {format: ImportFormat, at: string},
    /** The sweep (run) this row belongs to: rows from one startBench / CLI bench share it. */
    runId?: string,
    timestamp: string,
    status: TestStatus,
    /** One line: the file and the reason, when status is not "ok". */
    error?: string,
    config: TestConfig,
    /** Filled in when the model could be inspected. */
    model?: Pick<ModelInfo, "file" | "fileName" | "fileBytes" | "parameters" | "weightType" | "nLayer" | "synthetic" | "convertedFrom">,
    env: BenchEnvironment,
    load?: LoadRecord,
    samples: RepSample[],
    stats?: {
        ppTps: Stats,
        /** End-to-end generation rate: generated tokens / generation wall time, what an app sees. */
        tgTps: Stats,
        /** Decode rate: generated tokens / llama.cpp's own decode time (its perf counters), comparable with llama-bench's tg. */
        tgDecodeTps: Stats,
        ttftMs: Stats,
        tgMsPerToken: Stats,
        /** Per generated token, the time outside llama.cpp's decode (sampling, the binding, JavaScript). */
        outsideMsPerToken: Stats
    },
    /** Plain-words notes on what this row could not measure and why (e.g. llama.cpp's counters missing). */
    notes?: string[],
    /** When the sweep asked for "auto" threads: the probe that chose this row's threads. */
    threadProbe?: ThreadProbe,
    /** Bandwidth ceiling for this row (see engine/ceiling). */
    ceiling?: CeilingInfo,
    /** RAM and VRAM this test really took, beside the fit advisor's estimate for the same configuration. */
    memory?: MemoryRecord,
    /** Percentiles of the generated tokens' times (RepSample.tokenMs), where recorded. */
    tokenLatency?: TokenLatency,
    /** Energy of the repetitions, or why it could not be read. */
    energy?: EnergyRecord
}

/** Measured memory of one test and its estimate (engine/ceiling/estimateMemory). Bytes. */
export interface MemoryRecord {
    /** The bench worker's peak resident memory during the test minus its resident memory before the load. */
    ramPeakBytes?: number,
    /** Of it: anonymous memory (buffers, repacked weights, KV) and file-backed pages (the mapped model). */
    ramPeakAnonBytes?: number,
    ramPeakFileBytes?: number,
    /** Sum of llama.cpp's device buffers (model, KV, compute) from its log, and per device. */
    vramPeakBytes?: number,
    vramByDevice?: Record<string, number>,
    ramEstimateBytes?: number,
    ramEstimateAnonBytes?: number,
    ramEstimateFileBytes?: number,
    vramEstimateBytes?: number,
    /** Why a figure is missing, e.g. no /proc on this OS. */
    note?: string
}

/** A thread probe: short generation runs at each candidate thread count, on the model about to be measured. */
export interface ThreadProbe {
    /** Each candidate's best end-to-end generation rate over the probe's runs (tokens/s). */
    candidates: Array<{threads: number, tgTps: number}>,
    chosen: number,
    /** What was run, in words, e.g. "16 tokens at depth 16, best of 2 alternating rounds". */
    method: string
}

export const BOUNDS = ["cpu-memory", "gpu-memory", "mixed", "compute", "unknown"] as const;
export type Bound = (typeof BOUNDS)[number];

export interface CeilingInfo {
    bytesPerToken: number,
    /** From measured bandwidth. */
    ceilingTps: number | null,
    /** From DIMM / GPU spec sheets, where known. */
    ceilingTpsTheoretical: number | null,
    /** measured tg t/s / ceilingTps. */
    efficiency: number | null,
    bound: Bound,
    /** Set when measured > ceiling: the model of the machine is wrong somewhere. */
    modelError?: string,
    /** Mean KV cells read per generated token: the depth, padded as llama.cpp's attention reads it (see kvCellsRead). */
    depth?: number,
    /** Of bytesPerToken: weights (layers + output head + one embedding row) and KV cache. */
    weightBytesPerToken?: number,
    kvBytesPerToken?: number,
    /** Of bytesPerToken: read from system RAM and from VRAM (by the layer split). */
    cpuBytesPerToken?: number,
    gpuBytesPerToken?: number,
    /** One repeating layer's bytes per token (weights + KV at this depth) and the output head's: with the split above,
     *  the ceiling at any other GPU layer count (splitCeilingCurve). */
    layerBytesPerToken?: number,
    outputHeadBytes?: number,
    /** Bandwidths used for ceilingTps: CPU measured (for the threads used), GPU from the spec table. */
    cpuBandwidthGBs?: number | null,
    gpuBandwidthGBs?: number | null,
    /** One plain-words line on where the measured rate sits against the ceiling, and why (explainGap). */
    explanation?: string
}

/** Progress events streamed from a running sweep. */
export type BenchEvent =
    | {type: "plan", tests: number, totalReps: number}
    | {type: "test-start", index: number, tests: number, config: TestConfig}
    | {type: "phase", index: number, phase: "load" | "warmup" | "rep", rep?: number, reps?: number}
    | {type: "progress", done: number, total: number, etaMs: number | null, message: string}
    | {type: "test-end", index: number, result: TestResult}
    /** A legacy GGML file was converted to GGUF for this sweep (or its earlier conversion found: cached, ms 0). */
    | {type: "converted", file: string, gguf: string, from: string, ms: number, cached: boolean, bytes: number}
    | {type: "done", results: TestResult[], cancelled: boolean};

/** The machine, as detectHardware and measureBandwidth see it. Every field says where it came from. */
export interface HardwareProfile {
    detectedAt: string,
    os: {platform: string, distro: Fact<string>, release: Fact<string>, arch: string, virtualised: Fact<boolean>},
    cpu: {
        brand: Fact<string>,
        physicalCores: Fact<number>,
        logicalCores: Fact<number>,
        /** SIMD features as llama.cpp reports them (AVX2, AVX512, NEON, ...). */
        simd: Fact<string[]>,
        speedGHz: Fact<number>,
        /** Last-level cache size: a model smaller than it is read from cache, above the DRAM ceiling. */
        lastLevelCacheBytes?: Fact<number>
    },
    memory: {
        totalBytes: Fact<number>,
        freeBytes: Fact<number>,
        modules: Fact<Array<{type: string | null, speedMTs: number | null, sizeBytes: number | null}>>,
        /** Theoretical DRAM bandwidth = channels x MT/s x 8 bytes, when the modules are known or the user said. */
        theoreticalGBs: Fact<number>
    },
    bandwidth: Fact<BandwidthMeasurement>,
    gpus: Array<{
        name: Fact<string>,
        vendor: Fact<string>,
        vramTotalBytes: Fact<number>,
        vramFreeBytes: Fact<number>,
        /** Spec-sheet memory bandwidth from the GPU table, matched by name. */
        bandwidthGBs: Fact<number>
    }>,
    /** Every device llama.cpp's GPU backend can use, software ones included, when they could be listed. */
    devices?: LlamaDevice[],
    /** llama.cpp backends usable here, and the one it uses ("cpu" when its binary found no device it uses). */
    backends: {[K in GpuBackend]: boolean} & {cpu: true, used: string},
    disk: {path: string, device: Fact<string>, kind: Fact<"nvme" | "ssd" | "hdd">, freeBytes: Fact<number>},
    nodeLlamaCppVersion: string,
    llamaCppRelease: string
}

export interface BandwidthMeasurement {
    /** Read bandwidth with one thread, GB/s (1e9 bytes/s). */
    read1GBs: number,
    /** Read bandwidth with all physical cores at once. */
    readAllGBs: number,
    copy1GBs: number,
    copyAllGBs: number,
    threads: number,
    /** Bytes the single thread streams; in the all-cores run the other threads add their share. */
    bufferBytes: number,
    durationMs: number,
    /** Every timed window of each kernel and their spread (measureBandwidth always fills it; a measurement
     *  given by hand has none). */
    spread?: Record<BandwidthKernel, BandwidthSpread>,
    /** Other processes' mean load over the timed windows, cores; null where /proc is missing. */
    backgroundCores?: number | null
}

/** The probe's kernels: read or copy, with one thread or all of them (the figures above, without "GBs"). */
export const BANDWIDTH_KERNELS = ["read1", "readAll", "copy1", "copyAll"] as const;
export type BandwidthKernel = typeof BANDWIDTH_KERNELS[number];

/** One kernel's timed windows: each figure, what else ran meanwhile, and how far apart they fell. */
export interface BandwidthSpread {
    /** Every window's figure, GB/s, in the order they ran. */
    windowsGBs: number[],
    /** Other processes' load during each window, cores (null without /proc). */
    backgroundCores: Array<number | null>,
    /** Windows run while other processes kept fewer than BUSY_MACHINE_CORES busy: the figure is the best of these
     *  (of all windows when none was quiet). */
    quietWindows: number,
    min: number,
    median: number,
    max: number,
    /** (max - min) / max: how far the slowest window fell below the fastest. */
    relative: number
}

// ---- what the fit advisor, the predictor and the reference table answer -------------------------------

export interface FitVerdict {
    verdict: "fits on GPU" | "partial offload" | "CPU only" | "does not fit",
    /** Largest gpuLayers that fits (0 without a GPU). */
    maxGpuLayers: number,
    ramBytes: number,
    vramBytes: number,
    detail: string
}

/** A what-if: a shape and type (or a file), and optionally another machine's RAM or GPU. */
export interface PredictRequest {
    shape?: string,
    type?: string,
    modelPath?: string,
    ram?: string,
    gpu?: string,
    contextSize?: number
}

export interface PredictResult {
    modelBytes: number,
    ramBytes: number,
    vramBytes: number,
    gpuLayers: number,
    ceilingTps: number | null,
    bandwidthGBs: number | null,
    /** The fit advisor's verdict at the largest GPU split that fits. */
    verdict: FitVerdict["verdict"],
    /** What the prediction says, one line each: the model, the machine, the fit, the ceiling. */
    lines: string[]
}

/** A reference machine shown beside the user's results (figures from the hardware guide the product is
 *  built around): a theoretical ceiling row (e.g. DDR4-3600 x 2 with an 8 GB model) or a measured row
 *  (e.g. Ryzen 7 3700X, LLaMA-7B 4-bit, 117.42 ms/token) with its ceiling and efficiency. */
export interface ReferenceMachineRow {
    /** e.g. "Ryzen 7 3700X, DDR4 x 2, CPU only". */
    machine: string,
    /** e.g. "LLaMA-7B 4-bit" or "8 GB model". */
    model: string,
    /** Bytes read per generated token, where known. */
    bytesPerToken: number | null,
    /** Memory bandwidth in GB/s (1e9 bytes/s), theoretical unless the source measured it. */
    bandwidthGBs: number | null,
    /** Generation tokens/s the source measured; null for ceiling-only rows. */
    measuredTps: number | null,
    /** bandwidth / bytes per token. */
    ceilingTps: number | null,
    /** measuredTps / ceilingTps. */
    efficiency: number | null,
    /** Where the figure comes from, e.g. "hardware guide, table 2". */
    source: string
}

/** What an import did: its rows are in the history (listHistory), tagged with where they came from. */
export interface ImportSummary {
    /** What was read: "llamameter-csv", "llama-bench-csv" or "llama-bench-json". */
    format: string,
    imported: number,
    /** Rows already in the history (or twice in the file), not added again. */
    duplicates: number,
    /** llama-bench pg tests (one rate over prompt and generation together), not imported. */
    skipped: number,
    /** One line for the user, e.g. "2 imported, 4 duplicates skipped". */
    message: string
}
