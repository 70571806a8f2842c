// The one column table: every exporter (CSV, JSON, JSON lines, Markdown, console table), CSV import and the
// app's results table read results through these columns, so a measurement added here is one entry. The file is
// long because it lists every column (each with its description); what a column is and the helpers the entries
// use are in column.ts. Plain data and functions only (no Node imports): the renderer imports this file too.
import type {LlamaKvCacheType, MemoryRecord, RepSample, Stats, TestResult, ThreadProbe} from "../types.js";
import {BOUNDS, ENGINES, IMPORT_FORMATS, LLAMA_KV_CACHE_TYPES, PAGE_CACHE_STATES, TEST_STATUSES, THREAD_RUNTIMES} from "../types.js";
import {formatThreadProbe} from "../bench/formatThreadProbe.js";
import {formatBinary} from "../llama/formatBinary.js";
import {samplePpTps, sampleTgTps} from "../bench/sampleRates.js";
import {
    baseName, column, finite, fixed, formatCount, formatPercent, formatSize, formatTimestamp, formatYesNo, group, joinNumberList, oneOf,
    parseInteger, parseJson, set, setBoolean, setNumber, setSamples, type CellValue, type Column, type ResultDraft, type StatsKey
} from "./column.js";

export type {CellValue, Column, ResultDraft} from "./column.js";
export {joinNumberList, splitNumberList} from "./column.js";

/** A KV-cache type llama.cpp takes, or null for an empty cell. */
function parseKvCacheType(s: string): LlamaKvCacheType | null {
    const text = s.trim().toLowerCase();
    if (text === "")
        return null;
    const type = LLAMA_KV_CACHE_TYPES.find((known) => known === text);
    if (type == null)
        throw new Error(`"${s}" is not a KV-cache type llama.cpp takes (${LLAMA_KV_CACHE_TYPES.join(", ")})`);
    return type;
}

function sampleList(pick: (s: RepSample) => number): (r: TestResult) => CellValue {
    // An error row has no samples: an empty cell, not an empty list that reads as "measured nothing".
    return (r) => (r.samples.length === 0 ? null : joinNumberList(r.samples.map(pick)));
}

// ---- statistics columns ---------------------------------------------------------------------------

/** The metrics of TestResult.stats, their column key prefix, and the key of their mean. */
export const STAT_METRICS: ReadonlyArray<{
    stat: StatsKey, prefix: string, meanKey: string, header: string, short: string, unit: string, digits: number,
    description: string
}> = [
    {
        stat: "ppTps", prefix: "pp_tps", meanKey: "pp_tps_mean", header: "pp t/s", short: "pp", unit: "tokens/s", digits: 2,
        description: "Prompt processing (prefill) speed: prompt tokens / prefill wall time, per repetition"
    },
    {
        stat: "tgTps", prefix: "tg_tps", meanKey: "tg_tps_mean", header: "tg t/s (end to end)", short: "tg", unit: "tokens/s", digits: 2,
        description: "End-to-end generation rate, what an app sees: generated tokens / generation wall time (llama.cpp's decode " +
            "plus the time outside it), per repetition"
    },
    {
        stat: "tgDecodeTps", prefix: "tg_decode_tps", meanKey: "tg_decode_tps_mean", header: "decode t/s", short: "decode",
        unit: "tokens/s", digits: 2,
        description: "Decode rate: generated tokens / llama.cpp's own decode time (its perf counters), per repetition; " +
            "comparable with llama-bench's tg"
    },
    {
        stat: "ttftMs", prefix: "ttft_ms", meanKey: "ttft_ms", header: "TTFT ms", short: "TTFT", unit: "ms", digits: 1,
        description: "Time to first token: from the start of prefill until the first generated token is sampled"
    },
    {
        stat: "tgMsPerToken", prefix: "tg_ms_per_token", meanKey: "tg_ms_per_token", header: "ms/token", short: "ms/token", unit: "ms", digits: 2,
        description: "Generation wall time per generated token"
    },
    {
        stat: "outsideMsPerToken", prefix: "outside_ms_per_token", meanKey: "outside_ms_per_token", header: "outside llama.cpp ms/token",
        short: "outside", unit: "ms", digits: 3,
        description: "Of the generation time, time outside llama.cpp's decode per generated token (sampling, the binding, " +
            "JavaScript): wall time minus llama.cpp's own decode time"
    }
];

function statOf(draft: ResultDraft, stat: StatsKey): Partial<Stats> {
    return (draft.stats ??= {})[stat] ??= {};
}

const statParts: ReadonlyArray<{part: keyof Stats, suffix: string, header: string, what: string}> = [
    {part: "sd", suffix: "_sd", header: "± sd", what: "sample standard deviation (n - 1)"},
    {part: "median", suffix: "_median", header: "median", what: "median"},
    {part: "min", suffix: "_min", header: "min", what: "minimum"},
    {part: "max", suffix: "_max", header: "max", what: "maximum"},
    {part: "n", suffix: "_n", header: "n", what: "number of repetitions summarised"}
];

/** Key of the column holding one part (mean, sd, median, min, max, n) of one stats metric. */
export function statColumnKey(metric: (typeof STAT_METRICS)[number], part: keyof Stats): string {
    if (part === "mean")
        return metric.meanKey;
    return metric.prefix + statParts.find((p) => p.part === part)!.suffix;
}

function statColumns(metric: (typeof STAT_METRICS)[number]): {mean: Column, rest: Column[]} {
    const mean = column({
        key: metric.meanKey, header: metric.header, unit: metric.unit, kind: "number",
        description: `${metric.description}: mean over repetitions`,
        get: (r) => finite(r.stats?.[metric.stat].mean), format: fixed(metric.digits), width: 8,
        put: setNumber((d, v) => { statOf(d, metric.stat).mean = v; })
    });
    const rest = statParts.map((p) => column({
        key: statColumnKey(metric, p.part),
        header: `${p.part === "sd" ? metric.short : metric.header} ${p.header}`,
        unit: p.part === "n" ? undefined : metric.unit,
        kind: p.part === "n" ? "integer" : "number",
        description: `${metric.description}: ${p.what}`,
        get: (r) => finite(r.stats?.[metric.stat][p.part]),
        put: setNumber((d, v) => { statOf(d, metric.stat)[p.part] = v; }),
        format: p.part === "n" ? undefined : fixed(metric.digits),
        width: 7
    }));
    return {mean, rest};
}

const stats = Object.fromEntries(STAT_METRICS.map((m) => [m.stat, statColumns(m)])) as Record<StatsKey, {mean: Column, rest: Column[]}>;

function statRest(stat: StatsKey, part: keyof Stats): Column {
    const metric = STAT_METRICS.find((m) => m.stat === stat)!;
    const key = statColumnKey(metric, part);
    return stats[stat].rest.find((c) => c.key === key)!;
}

// ---- the table ------------------------------------------------------------------------------------

/** Every column, in CSV order: what ran and how fast first, then the ceiling, the machine, the details. */
export const COLUMNS: readonly Column[] = [
    column({
        key: "timestamp", header: "time (UTC)", kind: "string", width: 20,
        description: "When the test finished (ISO 8601, UTC)",
        get: (r) => r.timestamp, format: formatTimestamp,
        put: set((d, v) => { d.top.timestamp = v; })
    }),
    column({
        key: "model_file", header: "model", kind: "string", width: 32,
        description: "GGUF file name",
        get: (r) => r.model?.fileName ?? baseName(r.config.modelPath),
        put: set((d, v) => { d.modelFile = v; })
    }),
    column({
        key: "weight_type", header: "type", kind: "string", width: 6,
        description: "Dominant weight type of the repeating layers' matrices",
        get: (r) => r.model?.weightType ?? null,
        put: set((d, v) => { group(d, "model").weightType = v; })
    }),
    column({
        key: "model_params", header: "params", kind: "integer", width: 8,
        description: "Parameter count",
        get: (r) => finite(r.model?.parameters), format: formatCount,
        put: setNumber((d, v) => { group(d, "model").parameters = v; })
    }),
    column({
        key: "model_bytes", header: "size", unit: "bytes", kind: "integer", width: 10,
        description: "Model file size",
        get: (r) => finite(r.model?.fileBytes), format: formatSize,
        put: setNumber((d, v) => { group(d, "model").fileBytes = v; })
    }),
    column({
        key: "gpu_layers", header: "ngl", kind: "integer", width: 3,
        description: "Layers asked to be offloaded to the GPU (\"max\" = all)",
        get: (r) => r.config.gpuLayers,
        parse: (s) => (s.trim().toLowerCase() === "max" ? "max" : parseInteger(s)),
        put: (d, v) => { d.config.gpuLayers = v as number | "max"; }
    }),
    column({
        key: "gpu_layers_offloaded", header: "offloaded", kind: "string", width: 9,
        description: "Layers llama.cpp really placed on the GPU out of all it counts (the output layer is one), from its log: \"17/17\"",
        get: (r) => offloadedCell(r),
        put: set((d, v) => {
            const counted = /^(\d+)\/(\d+)$/.exec(v);
            if (counted != null)
                Object.assign(group(d, "load"), {offloadedLayers: Number(counted[1]), totalLayers: Number(counted[2])});
        })
    }),
    column({
        key: "threads", header: "threads", kind: "integer", width: 7,
        description: "CPU threads",
        get: (r) => finite(r.config.threads),
        put: setNumber((d, v) => { d.config.threads = v; })
    }),
    column({
        key: "batch", header: "batch", kind: "integer", width: 5,
        description: "Logical batch size",
        get: (r) => finite(r.config.batchSize),
        put: setNumber((d, v) => { d.config.batchSize = v; })
    }),
    column({
        key: "flash_attn", header: "fa", kind: "boolean", width: 3,
        description: "Flash attention on or off",
        get: (r) => r.config.flashAttention, format: (v) => (v === true ? "on" : v === false ? "off" : ""),
        put: setBoolean((d, v) => { d.config.flashAttention = v; })
    }),
    column({
        key: "n_prompt", header: "prompt", unit: "tokens", kind: "integer", width: 6,
        description: "Prompt tokens processed per repetition",
        get: (r) => r.config.nPrompt,
        put: setNumber((d, v) => { d.config.nPrompt = v; })
    }),
    column({
        key: "n_gen", header: "gen", unit: "tokens", kind: "integer", width: 5,
        description: "Tokens generated per repetition",
        get: (r) => r.config.nGen,
        put: setNumber((d, v) => { d.config.nGen = v; })
    }),
    column({
        key: "context_size", header: "ctx", unit: "tokens", kind: "integer", width: 5,
        description: "Context size (default n_prompt + n_gen, as llama-bench)",
        get: (r) => finite(r.config.contextSize),
        put: setNumber((d, v) => { d.config.contextSize = v; })
    }),
    column({
        key: "thread_probe", header: "thread probe", kind: "string",
        description: "When threads were \"auto\": each candidate thread count's end-to-end generation rate in the probe " +
            "that chose them (JSON: candidates, chosen, method)",
        get: (r) => (r.threadProbe != null ? JSON.stringify(r.threadProbe) : null),
        format: (v) => (typeof v === "string" ? formatThreadProbe(JSON.parse(v) as ThreadProbe) : ""),
        put: set((d, v) => { d.top.threadProbe = parseJson(v) as ThreadProbe; })
    }),
    column({
        key: "reps", header: "reps", kind: "integer", width: 4,
        description: "Repetitions asked for",
        get: (r) => finite(r.config.reps),
        put: setNumber((d, v) => { d.config.reps = v; })
    }),
    stats.ppTps.mean,
    statRest("ppTps", "sd"),
    statRest("ppTps", "median"),
    stats.tgTps.mean,
    statRest("tgTps", "sd"),
    statRest("tgTps", "median"),
    stats.tgDecodeTps.mean,
    statRest("tgDecodeTps", "sd"),
    statRest("tgDecodeTps", "median"),
    stats.tgMsPerToken.mean,
    stats.ttftMs.mean,
    stats.outsideMsPerToken.mean,
    column({
        key: "ceiling_tps", header: "ceiling t/s", unit: "tokens/s", kind: "number", width: 11,
        description: "Bandwidth ceiling for generation: measured memory bandwidth / bytes read per token",
        get: (r) => finite(r.ceiling?.ceilingTps), format: fixed(2),
        put: setNumber((d, v) => { group(d, "ceiling").ceilingTps = v; })
    }),
    column({
        key: "ceiling_tps_theoretical", header: "spec ceiling t/s", unit: "tokens/s", kind: "number", width: 8,
        description: "Ceiling from the spec-sheet (DIMM / GPU) bandwidth, where known",
        get: (r) => finite(r.ceiling?.ceilingTpsTheoretical), format: fixed(2),
        put: setNumber((d, v) => { group(d, "ceiling").ceilingTpsTheoretical = v; })
    }),
    column({
        key: "efficiency", header: "of ceiling", unit: "ratio", kind: "number", width: 10,
        description: "Decode t/s (llama.cpp's counters; end-to-end t/s where they are missing) / ceiling t/s",
        get: (r) => finite(r.ceiling?.efficiency), format: formatPercent,
        put: setNumber((d, v) => { group(d, "ceiling").efficiency = v; })
    }),
    column({
        key: "bound", header: "bound", kind: "string", width: 10,
        description: "What limits generation speed here: cpu-memory, gpu-memory, mixed, compute or unknown",
        get: (r) => r.ceiling?.bound ?? null,
        put: set((d, v) => { group(d, "ceiling").bound = oneOf(v, BOUNDS); })
    }),
    column({
        key: "bytes_per_token", header: "bytes/token", unit: "bytes", kind: "number",
        description: "Bytes read from memory per generated token (the ceiling's denominator)",
        get: (r) => finite(r.ceiling?.bytesPerToken), format: formatSize,
        put: setNumber((d, v) => { group(d, "ceiling").bytesPerToken = v; })
    }),
    column({
        key: "ceiling_error", header: "ceiling note", kind: "string",
        description: "Set when measured speed exceeds the ceiling: the model of the machine is wrong somewhere",
        get: (r) => r.ceiling?.modelError ?? null,
        put: set((d, v) => { group(d, "ceiling").modelError = v; })
    }),
    column({
        key: "explanation", header: "why", kind: "string",
        description: "One plain-words line on where the measured generation rate sits against the ceiling, and why",
        get: (r) => r.ceiling?.explanation ?? null,
        put: set((d, v) => { group(d, "ceiling").explanation = v; })
    }),
    column({
        key: "kv_depth", header: "KV depth", unit: "tokens", kind: "number",
        description: "Mean KV-cache cells read per generated token: the depth, padded to llama.cpp's 256-cell steps where its attention reads them (flash attention off)",
        get: (r) => finite(r.ceiling?.depth), format: fixed(0),
        put: setNumber((d, v) => { group(d, "ceiling").depth = v; })
    }),
    column({
        key: "weight_bytes_per_token", header: "weight bytes/token", unit: "bytes", kind: "number",
        description: "Of bytes_per_token: weights (layers, output head, one embedding row)",
        get: (r) => finite(r.ceiling?.weightBytesPerToken), format: formatSize,
        put: setNumber((d, v) => { group(d, "ceiling").weightBytesPerToken = v; })
    }),
    column({
        key: "kv_bytes_per_token", header: "KV bytes/token", unit: "bytes", kind: "number",
        description: "Of bytes_per_token: KV cache read",
        get: (r) => finite(r.ceiling?.kvBytesPerToken), format: formatSize,
        put: setNumber((d, v) => { group(d, "ceiling").kvBytesPerToken = v; })
    }),
    column({
        key: "cpu_bytes_per_token", header: "RAM bytes/token", unit: "bytes", kind: "number",
        description: "Of bytes_per_token: read from system RAM",
        get: (r) => finite(r.ceiling?.cpuBytesPerToken), format: formatSize,
        put: setNumber((d, v) => { group(d, "ceiling").cpuBytesPerToken = v; })
    }),
    column({
        key: "gpu_bytes_per_token", header: "VRAM bytes/token", unit: "bytes", kind: "number",
        description: "Of bytes_per_token: read from VRAM",
        get: (r) => finite(r.ceiling?.gpuBytesPerToken), format: formatSize,
        put: setNumber((d, v) => { group(d, "ceiling").gpuBytesPerToken = v; })
    }),
    column({
        key: "cpu_bandwidth_gbs", header: "RAM GB/s", unit: "GB/s", kind: "number",
        description: "CPU memory bandwidth used for the ceiling (measured, for the threads used)",
        get: (r) => finite(r.ceiling?.cpuBandwidthGBs), format: fixed(1),
        put: setNumber((d, v) => { group(d, "ceiling").cpuBandwidthGBs = v; })
    }),
    column({
        key: "gpu_bandwidth_gbs", header: "VRAM GB/s", unit: "GB/s", kind: "number",
        description: "GPU memory bandwidth used for the ceiling (spec table)",
        get: (r) => finite(r.ceiling?.gpuBandwidthGBs), format: fixed(1),
        put: setNumber((d, v) => { group(d, "ceiling").gpuBandwidthGBs = v; })
    }),
    column({
        key: "load_ms", header: "load ms", unit: "ms", kind: "number", width: 8,
        description: "Model load wall time",
        get: (r) => finite(r.load?.ms), format: fixed(0),
        put: setNumber((d, v) => { group(d, "load").ms = v; })
    }),
    column({
        key: "page_cache", header: "page cache", kind: "string",
        description: "Whether the model file was already in the OS page cache before loading",
        get: (r) => r.load?.pageCache ?? null,
        put: set((d, v) => { group(d, "load").pageCache = oneOf(v, PAGE_CACHE_STATES); })
    }),
    column({
        key: "page_cache_fraction", header: "cached", unit: "ratio", kind: "number",
        description: "Fraction of the model file in the OS page cache before loading, when known",
        get: (r) => finite(r.load?.pageCacheFraction), format: formatPercent,
        put: setNumber((d, v) => { group(d, "load").pageCacheFraction = v; })
    }),
    column({
        key: "load_gpu_layers", header: "offloaded", kind: "integer",
        description: "Layers really offloaded to the GPU",
        get: (r) => finite(r.load?.gpuLayers),
        put: setNumber((d, v) => { group(d, "load").gpuLayers = v; })
    }),
    column({
        key: "load_reused", header: "reused load", kind: "boolean",
        description: "Whether this test reused the model load of an earlier test in the same sweep",
        get: (r) => r.load?.reused ?? null, format: formatYesNo,
        put: setBoolean((d, v) => { group(d, "load").reused = v; })
    }),
    memoryColumn("ram_peak_bytes", "RAM peak", "Bench worker's peak resident memory during the test minus its resident memory before the load", "ramPeakBytes"),
    memoryColumn("ram_estimate_bytes", "RAM est.", "The fit advisor's RAM estimate for the same configuration (estimateMemory)", "ramEstimateBytes"),
    memoryColumn("vram_peak_bytes", "VRAM peak", "llama.cpp's device buffers (model, KV, compute) from its log, summed over devices", "vramPeakBytes"),
    memoryColumn("vram_estimate_bytes", "VRAM est.", "The fit advisor's VRAM estimate for the same configuration (estimateMemory)", "vramEstimateBytes"),
    memoryColumn("ram_peak_anon_bytes", "RAM peak anon", "Of ram_peak_bytes: anonymous memory (buffers, repacked weights, KV cache), at the largest sample", "ramPeakAnonBytes"),
    memoryColumn("ram_peak_file_bytes", "RAM peak file", "Of ram_peak_bytes: file-backed pages (the mapped model), at the largest sample", "ramPeakFileBytes"),
    memoryColumn("ram_estimate_anon_bytes", "RAM est. anon", "Of ram_estimate_bytes: repacked weights, context buffers, load transient, a software device's memory", "ramEstimateAnonBytes"),
    memoryColumn("ram_estimate_file_bytes", "RAM est. file", "Of ram_estimate_bytes: the resident span of the mapped model file", "ramEstimateFileBytes"),
    column({
        key: "status", header: "status", kind: "string", width: 9,
        description: "ok, error or cancelled",
        get: (r) => r.status,
        put: set((d, v) => { d.top.status = oneOf(v, TEST_STATUSES); })
    }),
    column({
        key: "error", header: "error", kind: "string",
        description: "Why the test failed: the file and the reason, in one line",
        get: (r) => r.error ?? null,
        put: set((d, v) => { d.top.error = v; })
    }),
    column({
        key: "cpu", header: "CPU", kind: "string",
        description: "CPU model",
        get: (r) => r.env.cpu,
        put: set((d, v) => { d.env.cpu = v; })
    }),
    column({
        key: "physical_cores", header: "cores", kind: "integer",
        description: "Physical CPU cores, when known",
        get: (r) => finite(r.env.physicalCores),
        put: setNumber((d, v) => { d.env.physicalCores = v; })
    }),
    column({
        key: "gpu", header: "GPU", kind: "string",
        description: "GPU used, or none",
        get: (r) => r.env.gpu,
        put: set((d, v) => { d.env.gpu = v; })
    }),
    column({
        key: "backend", header: "backend", kind: "string",
        description: "llama.cpp backend: cpu, cuda, vulkan, metal",
        get: (r) => r.env.backend,
        put: set((d, v) => { d.env.backend = v; })
    }),
    column({
        key: "binary", header: "binary", kind: "string",
        description: "llama.cpp binaries: prebuilt (npm package) or local build, with options",
        get: (r) => formatBinary(r.env.binary),
        put: set((d, v) => { d.binaryText = v; })
    }),
    column({
        key: "build_type", header: "build", kind: "string",
        description: "Of the binary: prebuilt (node-llama-cpp's npm packages), localBuild (built on this machine) or llama-bench",
        get: (r) => r.env.binary.buildType,
        put: set((d, v) => { d.binary.buildType = v; })
    }),
    column({
        key: "cpu_variant", header: "CPU kernels", kind: "string",
        description: "Of the binary: the CPU kernel variant ggml loaded for this CPU (haswell, skylakex, sapphirerapids, zen4, ...), where known",
        get: (r) => r.env.binary.cpuVariant,
        put: set((d, v) => { d.binary.cpuVariant = v; })
    }),
    column({
        key: "thread_runtime", header: "thread runtime", kind: "string",
        description: "Of the binary: what ran llama.cpp's compute threads, openmp or ggml (its own pool), where known",
        get: (r) => r.env.binary.threadRuntime,
        put: set((d, v) => { d.binary.threadRuntime = oneOf(v, THREAD_RUNTIMES); })
    }),
    column({
        key: "uv_threadpool_size", header: "libuv pool", kind: "integer",
        description: "libuv pool threads in the process that ran llama.cpp (node-llama-cpp runs each decode on one)",
        get: (r) => finite(r.env.uvThreadpoolSize),
        put: setNumber((d, v) => { d.env.uvThreadpoolSize = v; })
    }),
    column({
        key: "llama_cpp_release", header: "llama.cpp", kind: "string",
        description: "llama.cpp release of the binaries",
        get: (r) => r.env.llamaCppRelease,
        put: set((d, v) => { d.env.llamaCppRelease = v; })
    }),
    column({
        key: "node_llama_cpp_version", header: "node-llama-cpp", kind: "string",
        description: "node-llama-cpp version",
        get: (r) => r.env.nodeLlamaCppVersion,
        put: set((d, v) => { d.env.nodeLlamaCppVersion = v; })
    }),
    column({
        key: "os", header: "OS", kind: "string",
        description: "Operating system, release and architecture",
        get: (r) => r.env.os,
        put: set((d, v) => { d.env.os = v; })
    }),
    column({
        key: "model_path", header: "model path", kind: "string",
        description: "Model file path as given to the benchmark",
        get: (r) => r.config.modelPath,
        put: set((d, v) => { d.config.modelPath = v; })
    }),
    column({
        key: "model_layers", header: "layers", kind: "integer",
        description: "Repeating layers in the model",
        get: (r) => finite(r.model?.nLayer),
        put: setNumber((d, v) => { group(d, "model").nLayer = v; })
    }),
    column({
        key: "model_synthetic", header: "synthetic", kind: "boolean",
        description: "Whether the model was written by LlamaMeter's synthetic writer (random weights)",
        get: (r) => r.model?.synthetic ?? null, format: formatYesNo,
        put: setBoolean((d, v) => { group(d, "model").synthetic = v; })
    }),
    column({
        key: "converted_from", header: "converted from", kind: "string",
        description: "The legacy GGML format (ggjt v3) LlamaMeter converted the model file from before the run; empty for GGUF files",
        get: (r) => r.model?.convertedFrom ?? null,
        put: set((d, v) => { group(d, "model").convertedFrom = v; })
    }),
    ...(["ppTps", "tgTps", "tgDecodeTps"] as const).flatMap((stat) => (["min", "max", "n"] as const).map((part) => statRest(stat, part))),
    ...(["ttftMs", "tgMsPerToken", "outsideMsPerToken"] as const).flatMap((stat) => stats[stat].rest),
    ...([["p50", "p50"], ["p90", "p90"], ["p99", "p99"], ["max", "maximum"]] as const).map(([part, what]) => column({
        key: `tg_ms_${part}`, header: `token ms ${part}`, unit: "ms", kind: "number", width: 7,
        description: `Per-token generation latency, ${what} over every generated token of every repetition (each token's wall time since ` +
            "the one before; nearest-rank percentile, so always a time a token took): the stalls a mean per token hides",
        get: (r) => finite(r.tokenLatency?.[part]), format: fixed(2),
        put: setNumber((d, v) => { group(d, "tokenLatency")[part] = v; })
    })),
    column({
        key: "tg_ms_tokens", header: "tokens timed", unit: "tokens", kind: "integer",
        description: "Generated tokens the tg_ms_ percentiles are taken over (all repetitions); their times are kept in the JSON and JSON lines exports",
        get: (r) => finite(r.tokenLatency?.tokens),
        put: setNumber((d, v) => { group(d, "tokenLatency").tokens = v; })
    }),
    column({
        key: "energy_j", header: "energy J", unit: "J", kind: "number", width: 8,
        description: "Energy of one repetition (prefill + generation), mean over repetitions, from the machine's counters named in energy_source; " +
            "empty where none was readable (energy_note says why)",
        get: (r) => finite(r.energy?.joules), format: fixed(2),
        put: setNumber((d, v) => { group(d, "energy").joules = v; })
    }),
    column({
        key: "tokens_per_joule", header: "tokens/J", unit: "tokens/J", kind: "number", width: 8,
        description: "Generated tokens per joule of generation (all repetitions' generated tokens over their generation energy; prefill left out)",
        get: (r) => finite(r.energy?.tokensPerJoule), format: fixed(3),
        put: setNumber((d, v) => { group(d, "energy").tokensPerJoule = v; })
    }),
    column({
        key: "energy_source", header: "energy source", kind: "string",
        description: "What the energy was read from: RAPL package counters (Linux powercap) and/or nvidia-smi power.draw sampled and integrated",
        get: (r) => r.energy?.source ?? null,
        put: set((d, v) => { group(d, "energy").source = v; })
    }),
    column({
        key: "energy_note", header: "energy note", kind: "string",
        description: "Why there is no energy figure (or only part of one), in one line: no counters (VMs, macOS), no permission, no driver",
        get: (r) => r.energy?.note ?? null,
        put: set((d, v) => { group(d, "energy").note = v; })
    }),
    column({
        key: "samples_pp_energy_j", header: "pp energy J", unit: "J", kind: "string",
        description: "Energy of each repetition's prefill, \";\"-separated (empty where not read)",
        get: sampleList((s) => s.ppEnergyJ ?? Number.NaN),
        put: setSamples("ppEnergyJ")
    }),
    column({
        key: "samples_tg_energy_j", header: "tg energy J", unit: "J", kind: "string",
        description: "Energy of each repetition's generation, \";\"-separated (empty where not read)",
        get: sampleList((s) => s.tgEnergyJ ?? Number.NaN),
        put: setSamples("tgEnergyJ")
    }),
    column({
        key: "pp_samples_tps", header: "pp t/s samples", unit: "tokens/s", kind: "string",
        description: "Prompt tokens/s of each repetition, \";\"-separated",
        get: sampleList(samplePpTps)
    }),
    column({
        key: "tg_samples_tps", header: "tg t/s samples", unit: "tokens/s", kind: "string",
        description: "Generated tokens/s of each repetition, \";\"-separated",
        get: sampleList(sampleTgTps)
    }),
    column({
        key: "samples_prompt_tokens", header: "prompt tokens", unit: "tokens", kind: "string",
        description: "Prompt tokens of each repetition, \";\"-separated",
        get: sampleList((s) => s.promptTokens),
        put: setSamples("promptTokens")
    }),
    column({
        key: "samples_pp_ms", header: "pp ms", unit: "ms", kind: "string",
        description: "Prefill wall time of each repetition, \";\"-separated",
        get: sampleList((s) => s.ppMs),
        put: setSamples("ppMs")
    }),
    column({
        key: "samples_ttft_ms", header: "TTFT ms samples", unit: "ms", kind: "string",
        description: "Time to first token of each repetition, \";\"-separated",
        get: sampleList((s) => s.ttftMs),
        put: setSamples("ttftMs")
    }),
    column({
        key: "samples_gen_tokens", header: "gen tokens", unit: "tokens", kind: "string",
        description: "Generated tokens of each repetition, \";\"-separated",
        get: sampleList((s) => s.genTokens),
        put: setSamples("genTokens")
    }),
    column({
        key: "samples_tg_ms", header: "tg ms", unit: "ms", kind: "string",
        description: "Generation wall time (llama.cpp's decode + the time outside it) of each repetition, \";\"-separated",
        get: sampleList((s) => s.tgMs),
        put: setSamples("tgMs")
    }),
    column({
        key: "samples_outside_ms", header: "outside llama.cpp ms", unit: "ms", kind: "string",
        description: "Time outside llama.cpp's decode during generation, of each repetition, \";\"-separated (empty where its counters were missing)",
        get: sampleList((s) => s.outsideMs ?? Number.NaN),
        put: setSamples("outsideMs")
    }),
    column({
        key: "notes", header: "notes", kind: "string",
        description: "Notes on this row: what it could not measure and why, and the other engine's figures for the same test",
        get: (r) => (r.notes != null && r.notes.length > 0 ? r.notes.join("; ") : null),
        put: set((d, v) => { d.top.notes = v.split("; "); })
    }),
    column({
        key: "samples_background_cores", header: "background cores", unit: "cores", kind: "string",
        description: "CPU cores other processes kept busy during each repetition, \";\"-separated (empty where unknown)",
        get: sampleList((s) => s.backgroundCores ?? Number.NaN),
        put: setSamples("backgroundCores")
    }),
    column({
        key: "samples_steal_cores", header: "steal cores", unit: "cores", kind: "string",
        description: "Of the background cores, those a virtual machine's host took for other guests (steal), \";\"-separated (empty where unknown)",
        get: sampleList((s) => s.stealCores ?? Number.NaN),
        put: setSamples("stealCores")
    }),
    column({
        key: "llama_perf", header: "llama.cpp timings", kind: "string",
        description: "llama.cpp's own perf counters of each repetition, as a JSON array (null where not captured)",
        get: (r) => {
            const reps = r.samples.map((s) => s.llama ?? null);
            return reps.every((x) => x == null) ? null : JSON.stringify(reps);
        },
        put: set((d, v) => {
            const reps = parseJson(v);
            if (!Array.isArray(reps))
                throw new Error("not a JSON array");
            d.llama = reps;
        })
    }),
    column({
        key: "run_id", header: "run", kind: "string",
        description: "The sweep this row belongs to",
        get: (r) => r.runId ?? null,
        put: set((d, v) => { d.top.runId = v; })
    }),
    column({
        key: "id", header: "id", kind: "string",
        description: "Unique id of this result",
        get: (r) => r.id,
        put: set((d, v) => { d.top.id = v; })
    }),
    column({
        key: "engine", header: "engine", kind: "string",
        description: "What measured the row: llamameter (its runner over node-llama-cpp; empty means the same), or llama-bench " +
            "(llama.cpp's own, run by LlamaMeter with the same settings, or imported from its -o csv / -o json output)",
        get: (r) => r.engine ?? null,
        put: set((d, v) => { d.top.engine = oneOf(v, ENGINES); })
    }),
    column({
        key: "n_depth", header: "depth", unit: "tokens", kind: "integer",
        description: "Tokens in the KV cache before the test's prompt (llama-bench's -d): the prompt runs at this depth, LlamaMeter's " +
            "generation at n_depth + n_prompt (llama-bench's tg rows have n_prompt 0); empty on rows older than the depth axis, where it was 0",
        get: (r) => finite(r.config.nDepth),
        put: setNumber((d, v) => { d.config.nDepth = v; })
    }),
    column({
        key: "type_k", header: "K cache", kind: "string",
        description: "KV-cache type of K (llama-bench's -ctk): f16, q8_0 or q4_0 in a sweep, any type llama.cpp takes in an import; empty on older rows, which ran f16",
        get: (r) => r.config.typeK ?? null,
        parse: (s) => parseKvCacheType(s),
        put: (d, v) => { d.config.typeK = v as LlamaKvCacheType; }
    }),
    column({
        key: "type_v", header: "V cache", kind: "string",
        description: "KV-cache type of V (llama-bench's -ctv): f16, q8_0 or q4_0 (a quantized V needs flash attention); empty on older rows, which ran f16",
        get: (r) => r.config.typeV ?? null,
        parse: (s) => parseKvCacheType(s),
        put: (d, v) => { d.config.typeV = v as LlamaKvCacheType; }
    }),
    column({
        key: "n_ubatch", header: "ubatch", kind: "integer",
        description: "Micro-batch size asked for (llama-bench's -ub), capped by llama.cpp at the batch; empty on older rows, where it equalled the batch",
        get: (r) => finite(r.config.ubatchSize),
        put: setNumber((d, v) => { d.config.ubatchSize = v; })
    }),
    column({
        key: "use_mmap", header: "mmap", kind: "boolean",
        description: "Whether the model file was memory-mapped (llama-bench's use_mmap) or read into memory; empty on older rows, which mapped it",
        get: (r) => r.config.useMmap ?? null, format: formatYesNo,
        put: setBoolean((d, v) => { d.config.useMmap = v; })
    }),
    column({
        key: "imported_from", header: "imported from", kind: "string",
        description: "For an imported row, what was read: llamameter-csv, llama-bench-csv or llama-bench-json",
        get: (r) => r.imported?.format ?? null,
        put: set((d, v) => { (d.imported ??= {}).format = oneOf(v, IMPORT_FORMATS); })
    }),
    column({
        key: "imported_at", header: "imported", kind: "string",
        description: "For an imported row, when it was imported (ISO 8601, UTC)",
        get: (r) => r.imported?.at ?? null,
        put: set((d, v) => { (d.imported ??= {}).at = v; })
    })
];

/** "offloaded/total" from llama.cpp's log, else node-llama-cpp's offloaded count alone. */
function offloadedCell(r: TestResult): string | null {
    const load = r.load;
    if (load == null)
        return null;
    if (load.offloadedLayers != null && load.totalLayers != null)
        return `${load.offloadedLayers}/${load.totalLayers}`;
    return Number.isFinite(load.gpuLayers) ? String(load.gpuLayers) : null;
}

type MemoryBytes = {[K in keyof MemoryRecord]-?: MemoryRecord[K] extends number | undefined ? K : never}[keyof MemoryRecord];

function memoryColumn(key: string, header: string, description: string, field: MemoryBytes): Column {
    return column({
        key, header, unit: "bytes", kind: "integer", width: 10, description, format: formatSize,
        get: (r) => r.memory != null ? finite(r.memory[field]) : null,
        put: setNumber((d, v) => { group(d, "memory")[field] = v; })
    });
}

const byKey = new Map(COLUMNS.map((c) => [c.key, c]));
if (byKey.size !== COLUMNS.length)
    throw new Error("columns.ts: duplicate column key");

/** The short view for the console and the UI's results table. */
export const DEFAULT_VIEW_KEYS: readonly string[] = [
    "model_file", "weight_type", "model_bytes", "gpu_layers", "gpu_layers_offloaded", "threads", "batch", "flash_attn", "n_prompt", "n_gen",
    "pp_tps_mean", "pp_tps_sd", "tg_decode_tps_mean", "tg_tps_mean", "tg_tps_sd", "ceiling_tps", "efficiency", "bound",
    "ram_peak_bytes", "ram_estimate_bytes", "vram_peak_bytes", "vram_estimate_bytes", "status", "error"
];

export function getColumn(key: string): Column {
    const found = byKey.get(key);
    if (found == null)
        throw new Error(`Unknown column "${key}"`);
    return found;
}

export const DEFAULT_COLUMNS: readonly Column[] = DEFAULT_VIEW_KEYS.map(getColumn);

/** The app's results table: one cell per entry, headed by its own heading or its first column's header, and
 *  described (the heading's tooltip) by its columns' descriptions. The renderer draws the cells; what they
 *  hold and what they mean come from here. */
export const APP_VIEW: ReadonlyArray<{heading?: string, keys: readonly string[]}> = [
    {keys: ["model_file", "weight_type", "model_bytes"]},
    {heading: "config", keys: ["threads", "gpu_layers", "gpu_layers_offloaded", "n_prompt", "n_gen", "flash_attn", "n_depth", "engine"]},
    {keys: ["pp_tps_mean", "pp_tps_sd"]},
    {keys: ["tg_decode_tps_mean", "tg_decode_tps_sd"]},
    {keys: ["tg_tps_mean", "tg_tps_sd"]},
    {keys: ["ttft_ms"]},
    {keys: ["ceiling_tps", "ceiling_tps_theoretical"]},
    {keys: ["efficiency"]},
    {heading: "memory / est.", keys: ["ram_peak_bytes", "ram_estimate_bytes", "vram_peak_bytes", "vram_estimate_bytes"]},
    {heading: "status / why", keys: ["status", "explanation", "notes", "error"]}
];

/** An APP_VIEW cell's heading and tooltip. */
export function viewHeading(cell: (typeof APP_VIEW)[number]): {heading: string, description: string} {
    const columns = cell.keys.map(getColumn);
    return {
        heading: cell.heading ?? columns[0]!.header,
        description: columns.map((column) => `${column.header}: ${column.description}`).join("\n")
    };
}

/** The default view plus the line on the gap: for reports (Markdown), where a long last cell costs no alignment. */
export const REPORT_VIEW_KEYS: readonly string[] = [...DEFAULT_VIEW_KEYS, "explanation"];

export const REPORT_COLUMNS: readonly Column[] = REPORT_VIEW_KEYS.map(getColumn);

/** The human text of one cell: the column's format, else the raw value; "" when there is no value. */
export function formatCell(column: Column, result: TestResult): string {
    const value = column.get(result);
    if (column.format != null)
        return column.format(value);
    return value == null ? "" : String(value);
}
