// The one column table: every exporter (CSV, JSON-lines keys aside, Markdown, console table) and the
// UI's results table read results through these columns, so a measurement added here shows up everywhere.
// Plain data and functions only (no Node imports): the renderer imports this file too.
import type {RepSample, Stats, TestResult, ThreadProbe} from "../types.js";
import {formatThreadProbe} from "../bench/formatThreadProbe.js";

/** A cell's raw value: what CSV writes (full precision) and what `parse` gives back. */
export type CellValue = string | number | boolean | null;

export interface Column {
    /** Machine name: the CSV header and the key the UI sorts by. snake_case, never renamed. */
    key: string,
    /** Short human heading for tables. */
    header: string,
    /** One sentence: what the value is and how it was measured. */
    description: string,
    unit?: string,
    /** The raw value; null when the result does not have it (e.g. stats of a failed test). */
    get: (r: TestResult) => CellValue,
    /** Human text for tables; without it the raw value is shown as is. */
    format?: (v: CellValue) => string,
    /** Reads the CSV text of this column back into the raw value ("" is null). */
    parse?: (s: string) => CellValue,
    /** Numbers right-aligned in text tables. */
    align?: "left" | "right",
    /** Minimum text width, so a table printed row by row stays aligned. */
    width?: number
}

// ---- value helpers --------------------------------------------------------------------------------

/** Finite numbers only: a NaN / Infinity (or a null from JSON) is "not measured", never a number. */
function finite(v: number | null | undefined): number | null {
    return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function parseString(s: string): string | null {
    return s === "" ? null : s;
}

export function parseNumber(s: string): number | null {
    const text = s.trim();
    if (text === "")
        return null;
    const value = Number(text);
    if (!Number.isFinite(value))
        throw new Error(`"${s}" is not a number`);
    return value;
}

export function parseBoolean(s: string): boolean | null {
    const text = s.trim().toLowerCase();
    if (text === "")
        return null;
    if (text === "true" || text === "1" || text === "yes")
        return true;
    if (text === "false" || text === "0" || text === "no")
        return false;
    throw new Error(`"${s}" is not a boolean`);
}

/** Numbers joined with ";" so per-repetition samples fit in one CSV cell; a non-finite one is left empty. */
export function joinNumberList(values: readonly number[]): string {
    return values.map((v) => (Number.isFinite(v) ? String(v) : "")).join(";");
}

/** The inverse of joinNumberList: "" is an empty list, an empty item is NaN (not measured). */
export function splitNumberList(text: string): number[] {
    if (text.trim() === "")
        return [];
    return text.split(";").map((item) => {
        if (item.trim() === "")
            return Number.NaN;
        const value = Number(item);
        if (Number.isNaN(value))
            throw new Error(`"${item}" in "${text}" is not a number`);
        return value;
    });
}

function fixed(digits: number): (v: CellValue) => string {
    return (v) => (typeof v === "number" ? v.toFixed(digits) : v == null ? "" : String(v));
}

/** 1024-based sizes, as llama.cpp prints model sizes (GiB, MiB). */
export function formatBytes(v: CellValue): string {
    if (typeof v !== "number")
        return v == null ? "" : String(v);
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let value = v;
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(2)} ${units[unit]}`;
}

/** Parameter counts as llama-bench prints them: 1.10 B, 124.44 M. */
export function formatCount(v: CellValue): string {
    if (typeof v !== "number")
        return v == null ? "" : String(v);
    if (Math.abs(v) >= 1e9)
        return `${(v / 1e9).toFixed(2)} B`;
    if (Math.abs(v) >= 1e6)
        return `${(v / 1e6).toFixed(2)} M`;
    if (Math.abs(v) >= 1e3)
        return `${(v / 1e3).toFixed(2)} K`;
    return String(v);
}

function formatPercent(v: CellValue): string {
    return typeof v === "number" ? `${(v * 100).toFixed(1)} %` : v == null ? "" : String(v);
}

function formatYesNo(v: CellValue): string {
    return v === true ? "yes" : v === false ? "no" : v == null ? "" : String(v);
}

function formatTimestamp(v: CellValue): string {
    // ISO 8601 in UTC, shown without the "T" and the milliseconds.
    return typeof v === "string" ? v.replace("T", " ").replace(/\.\d+Z$|Z$/, "Z") : v == null ? "" : String(v);
}

function baseName(path: string): string {
    return path.split(/[\\/]/).pop() ?? path;
}

/** The type of a column's raw value. */
type Kind = "string" | "integer" | "number" | "boolean";

interface ColumnSpec extends Omit<Column, "align"> {
    kind: Kind
}

/** A column whose CSV parser and alignment follow from the kind of value it holds. */
function column(spec: ColumnSpec): Column {
    const {kind, ...rest} = spec;
    const parse = spec.parse ?? (kind === "string" ? parseString
        : kind === "boolean" ? parseBoolean
        : kind === "integer" ? parseInteger
        : parseNumber);
    return {...rest, parse, align: kind === "integer" || kind === "number" ? "right" : "left"};
}

function parseInteger(s: string): number | null {
    const value = parseNumber(s);
    if (value != null && !Number.isInteger(value))
        throw new Error(`"${s}" is not an integer`);
    return value;
}

// ---- per-repetition values ------------------------------------------------------------------------

/** Prompt tokens/s of one repetition. */
export function samplePpTps(s: RepSample): number {
    return s.promptTokens / (s.ppMs / 1000);
}

/** Generated tokens/s of one repetition, end to end (generation wall time). */
export function sampleTgTps(s: RepSample): number {
    return s.genTokens / (s.tgMs / 1000);
}

/** Generated tokens/s of one repetition over llama.cpp's own decode time; NaN where its counters are missing. */
export function sampleDecodeTps(s: RepSample): number {
    return s.outsideMs == null ? Number.NaN : s.genTokens / ((s.tgMs - s.outsideMs) / 1000);
}

function sampleList(pick: (s: RepSample) => number): (r: TestResult) => CellValue {
    // An error row has no samples: an empty cell, not an empty list that reads as "measured nothing".
    return (r) => (r.samples.length === 0 ? null : joinNumberList(r.samples.map(pick)));
}

// ---- statistics columns ---------------------------------------------------------------------------

type StatsKey = keyof NonNullable<TestResult["stats"]>;

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
        get: (r) => finite(r.stats?.[metric.stat].mean), format: fixed(metric.digits), width: 8
    });
    const rest = statParts.map((p) => column({
        key: statColumnKey(metric, p.part),
        header: `${p.part === "sd" ? metric.short : metric.header} ${p.header}`,
        unit: p.part === "n" ? undefined : metric.unit,
        kind: p.part === "n" ? "integer" : "number",
        description: `${metric.description}: ${p.what}`,
        get: (r) => finite(r.stats?.[metric.stat][p.part]),
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
        get: (r) => r.timestamp, format: formatTimestamp
    }),
    column({
        key: "model_file", header: "model", kind: "string", width: 32,
        description: "GGUF file name",
        get: (r) => r.model?.fileName ?? baseName(r.config.modelPath)
    }),
    column({
        key: "weight_type", header: "type", kind: "string", width: 6,
        description: "Dominant weight type of the repeating layers' matrices",
        get: (r) => r.model?.weightType ?? null
    }),
    column({
        key: "model_params", header: "params", kind: "integer", width: 8,
        description: "Parameter count",
        get: (r) => finite(r.model?.parameters), format: formatCount
    }),
    column({
        key: "model_bytes", header: "size", unit: "bytes", kind: "integer", width: 10,
        description: "Model file size",
        get: (r) => finite(r.model?.fileBytes), format: formatBytes
    }),
    column({
        key: "gpu_layers", header: "ngl", kind: "integer", width: 3,
        description: "Layers asked to be offloaded to the GPU (\"max\" = all)",
        get: (r) => r.config.gpuLayers,
        parse: (s) => (s.trim().toLowerCase() === "max" ? "max" : parseInteger(s))
    }),
    column({
        key: "gpu_layers_offloaded", header: "offloaded", kind: "string", width: 9,
        description: "Layers llama.cpp really placed on the GPU out of all it counts (the output layer is one), from its log: \"17/17\"",
        get: (r) => offloadedCell(r)
    }),
    column({
        key: "threads", header: "threads", kind: "integer", width: 7,
        description: "CPU threads",
        get: (r) => finite(r.config.threads)
    }),
    column({
        key: "batch", header: "batch", kind: "integer", width: 5,
        description: "Logical batch size",
        get: (r) => finite(r.config.batchSize)
    }),
    column({
        key: "flash_attn", header: "fa", kind: "boolean", width: 3,
        description: "Flash attention on or off",
        get: (r) => r.config.flashAttention, format: (v) => (v === true ? "on" : v === false ? "off" : "")
    }),
    column({
        key: "n_prompt", header: "prompt", unit: "tokens", kind: "integer", width: 6,
        description: "Prompt tokens processed per repetition",
        get: (r) => r.config.nPrompt
    }),
    column({
        key: "n_gen", header: "gen", unit: "tokens", kind: "integer", width: 5,
        description: "Tokens generated per repetition",
        get: (r) => r.config.nGen
    }),
    column({
        key: "context_size", header: "ctx", unit: "tokens", kind: "integer", width: 5,
        description: "Context size (default n_prompt + n_gen, as llama-bench)",
        get: (r) => finite(r.config.contextSize)
    }),
    column({
        key: "thread_probe", header: "thread probe", kind: "string",
        description: "When threads were \"auto\": each candidate thread count's end-to-end generation rate in the probe " +
            "that chose them (JSON: candidates, chosen, method)",
        get: (r) => (r.threadProbe != null ? JSON.stringify(r.threadProbe) : null),
        format: (v) => (typeof v === "string" ? formatThreadProbe(JSON.parse(v) as ThreadProbe) : "")
    }),
    column({
        key: "reps", header: "reps", kind: "integer", width: 4,
        description: "Repetitions asked for",
        get: (r) => finite(r.config.reps)
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
        get: (r) => finite(r.ceiling?.ceilingTps), format: fixed(2)
    }),
    column({
        key: "ceiling_tps_theoretical", header: "spec ceiling t/s", unit: "tokens/s", kind: "number", width: 8,
        description: "Ceiling from the spec-sheet (DIMM / GPU) bandwidth, where known",
        get: (r) => finite(r.ceiling?.ceilingTpsTheoretical), format: fixed(2)
    }),
    column({
        key: "efficiency", header: "of ceiling", unit: "ratio", kind: "number", width: 10,
        description: "Decode t/s (llama.cpp's counters; end-to-end t/s where they are missing) / ceiling t/s",
        get: (r) => finite(r.ceiling?.efficiency), format: formatPercent
    }),
    column({
        key: "bound", header: "bound", kind: "string", width: 10,
        description: "What limits generation speed here: cpu-memory, gpu-memory, mixed, compute or unknown",
        get: (r) => r.ceiling?.bound ?? null
    }),
    column({
        key: "bytes_per_token", header: "bytes/token", unit: "bytes", kind: "number",
        description: "Bytes read from memory per generated token (the ceiling's denominator)",
        get: (r) => finite(r.ceiling?.bytesPerToken), format: formatBytes
    }),
    column({
        key: "ceiling_error", header: "ceiling note", kind: "string",
        description: "Set when measured speed exceeds the ceiling: the model of the machine is wrong somewhere",
        get: (r) => r.ceiling?.modelError ?? null
    }),
    column({
        key: "explanation", header: "why", kind: "string",
        description: "One plain-words line on where the measured generation rate sits against the ceiling, and why",
        get: (r) => r.ceiling?.explanation ?? null
    }),
    column({
        key: "kv_depth", header: "KV depth", unit: "tokens", kind: "number",
        description: "Mean KV-cache cells read per generated token: the depth, padded to llama.cpp's 256-cell steps where its attention reads them (flash attention off)",
        get: (r) => finite(r.ceiling?.depth), format: fixed(0)
    }),
    column({
        key: "weight_bytes_per_token", header: "weight bytes/token", unit: "bytes", kind: "number",
        description: "Of bytes_per_token: weights (layers, output head, one embedding row)",
        get: (r) => finite(r.ceiling?.weightBytesPerToken), format: formatBytes
    }),
    column({
        key: "kv_bytes_per_token", header: "KV bytes/token", unit: "bytes", kind: "number",
        description: "Of bytes_per_token: KV cache read",
        get: (r) => finite(r.ceiling?.kvBytesPerToken), format: formatBytes
    }),
    column({
        key: "cpu_bytes_per_token", header: "RAM bytes/token", unit: "bytes", kind: "number",
        description: "Of bytes_per_token: read from system RAM",
        get: (r) => finite(r.ceiling?.cpuBytesPerToken), format: formatBytes
    }),
    column({
        key: "gpu_bytes_per_token", header: "VRAM bytes/token", unit: "bytes", kind: "number",
        description: "Of bytes_per_token: read from VRAM",
        get: (r) => finite(r.ceiling?.gpuBytesPerToken), format: formatBytes
    }),
    column({
        key: "cpu_bandwidth_gbs", header: "RAM GB/s", unit: "GB/s", kind: "number",
        description: "CPU memory bandwidth used for the ceiling (measured, for the threads used)",
        get: (r) => finite(r.ceiling?.cpuBandwidthGBs), format: fixed(1)
    }),
    column({
        key: "gpu_bandwidth_gbs", header: "VRAM GB/s", unit: "GB/s", kind: "number",
        description: "GPU memory bandwidth used for the ceiling (spec table)",
        get: (r) => finite(r.ceiling?.gpuBandwidthGBs), format: fixed(1)
    }),
    column({
        key: "load_ms", header: "load ms", unit: "ms", kind: "number", width: 8,
        description: "Model load wall time",
        get: (r) => finite(r.load?.ms), format: fixed(0)
    }),
    column({
        key: "page_cache", header: "page cache", kind: "string",
        description: "Whether the model file was already in the OS page cache before loading",
        get: (r) => r.load?.pageCache ?? null
    }),
    column({
        key: "page_cache_fraction", header: "cached", unit: "ratio", kind: "number",
        description: "Fraction of the model file in the OS page cache before loading, when known",
        get: (r) => finite(r.load?.pageCacheFraction), format: formatPercent
    }),
    column({
        key: "load_gpu_layers", header: "offloaded", kind: "integer",
        description: "Layers really offloaded to the GPU",
        get: (r) => finite(r.load?.gpuLayers)
    }),
    column({
        key: "load_reused", header: "reused load", kind: "boolean",
        description: "Whether this test reused the model load of an earlier test in the same sweep",
        get: (r) => r.load?.reused ?? null, format: formatYesNo
    }),
    memoryColumn("ram_peak_bytes", "RAM peak", "Bench worker's peak resident memory during the test minus its resident memory before the load", (m) => m.ramPeakBytes),
    memoryColumn("ram_estimate_bytes", "RAM est.", "The fit advisor's RAM estimate for the same configuration (estimateMemory)", (m) => m.ramEstimateBytes),
    memoryColumn("vram_peak_bytes", "VRAM peak", "llama.cpp's device buffers (model, KV, compute) from its log, summed over devices", (m) => m.vramPeakBytes),
    memoryColumn("vram_estimate_bytes", "VRAM est.", "The fit advisor's VRAM estimate for the same configuration (estimateMemory)", (m) => m.vramEstimateBytes),
    memoryColumn("ram_peak_anon_bytes", "RAM peak anon", "Of ram_peak_bytes: anonymous memory (buffers, repacked weights, KV cache), at the largest sample", (m) => m.ramPeakAnonBytes),
    memoryColumn("ram_peak_file_bytes", "RAM peak file", "Of ram_peak_bytes: file-backed pages (the mapped model), at the largest sample", (m) => m.ramPeakFileBytes),
    memoryColumn("ram_estimate_anon_bytes", "RAM est. anon", "Of ram_estimate_bytes: repacked weights, context buffers, load transient, a software device's memory", (m) => m.ramEstimateAnonBytes),
    memoryColumn("ram_estimate_file_bytes", "RAM est. file", "Of ram_estimate_bytes: the resident span of the mapped model file", (m) => m.ramEstimateFileBytes),
    column({
        key: "status", header: "status", kind: "string", width: 9,
        description: "ok, error or cancelled",
        get: (r) => r.status
    }),
    column({
        key: "error", header: "error", kind: "string",
        description: "Why the test failed: the file and the reason, in one line",
        get: (r) => r.error ?? null
    }),
    column({
        key: "cpu", header: "CPU", kind: "string",
        description: "CPU model",
        get: (r) => r.env.cpu
    }),
    column({
        key: "physical_cores", header: "cores", kind: "integer",
        description: "Physical CPU cores, when known",
        get: (r) => finite(r.env.physicalCores)
    }),
    column({
        key: "gpu", header: "GPU", kind: "string",
        description: "GPU used, or none",
        get: (r) => r.env.gpu
    }),
    column({
        key: "backend", header: "backend", kind: "string",
        description: "llama.cpp backend: cpu, cuda, vulkan, metal",
        get: (r) => r.env.backend
    }),
    column({
        key: "binary", header: "binary", kind: "string",
        description: "llama.cpp binaries: prebuilt (npm package) or local build, with options",
        get: (r) => r.env.binary
    }),
    column({
        key: "uv_threadpool_size", header: "libuv pool", kind: "integer",
        description: "libuv pool threads in the process that ran llama.cpp (node-llama-cpp runs each decode on one)",
        get: (r) => finite(r.env.uvThreadpoolSize)
    }),
    column({
        key: "llama_cpp_release", header: "llama.cpp", kind: "string",
        description: "llama.cpp release of the binaries",
        get: (r) => r.env.llamaCppRelease
    }),
    column({
        key: "node_llama_cpp_version", header: "node-llama-cpp", kind: "string",
        description: "node-llama-cpp version",
        get: (r) => r.env.nodeLlamaCppVersion
    }),
    column({
        key: "os", header: "OS", kind: "string",
        description: "Operating system, release and architecture",
        get: (r) => r.env.os
    }),
    column({
        key: "model_path", header: "model path", kind: "string",
        description: "Model file path as given to the benchmark",
        get: (r) => r.config.modelPath
    }),
    column({
        key: "model_layers", header: "layers", kind: "integer",
        description: "Repeating layers in the model",
        get: (r) => finite(r.model?.nLayer)
    }),
    column({
        key: "model_synthetic", header: "synthetic", kind: "boolean",
        description: "Whether the model was written by LlamaMeter's synthetic writer (random weights)",
        get: (r) => r.model?.synthetic ?? null, format: formatYesNo
    }),
    column({
        key: "converted_from", header: "converted from", kind: "string",
        description: "The legacy GGML format (ggjt v3) LlamaMeter converted the model file from before the run; empty for GGUF files",
        get: (r) => r.model?.convertedFrom ?? null
    }),
    ...(["ppTps", "tgTps", "tgDecodeTps"] as const).flatMap((stat) => (["min", "max", "n"] as const).map((part) => statRest(stat, part))),
    ...(["ttftMs", "tgMsPerToken", "outsideMsPerToken"] as const).flatMap((stat) => stats[stat].rest),
    ...([["p50", "p50"], ["p90", "p90"], ["p99", "p99"], ["max", "maximum"]] as const).map(([part, what]) => column({
        key: `tg_ms_${part}`, header: `token ms ${part}`, unit: "ms", kind: "number", width: 7,
        description: `Per-token generation latency, ${what} over every generated token of every repetition (each token's wall time since ` +
            "the one before; nearest-rank percentile, so always a time a token took): the stalls a mean per token hides",
        get: (r) => finite(r.tokenLatency?.[part]), format: fixed(2)
    })),
    column({
        key: "tg_ms_tokens", header: "tokens timed", unit: "tokens", kind: "integer",
        description: "Generated tokens the tg_ms_ percentiles are taken over (all repetitions); their times are kept in the JSON and JSON lines exports",
        get: (r) => finite(r.tokenLatency?.tokens)
    }),
    column({
        key: "energy_j", header: "energy J", unit: "J", kind: "number", width: 8,
        description: "Energy of one repetition (prefill + generation), mean over repetitions, from the machine's counters named in energy_source; " +
            "empty where none was readable (energy_note says why)",
        get: (r) => finite(r.energy?.joules), format: fixed(2)
    }),
    column({
        key: "tokens_per_joule", header: "tokens/J", unit: "tokens/J", kind: "number", width: 8,
        description: "Generated tokens per joule of generation (all repetitions' generated tokens over their generation energy; prefill left out)",
        get: (r) => finite(r.energy?.tokensPerJoule), format: fixed(3)
    }),
    column({
        key: "energy_source", header: "energy source", kind: "string",
        description: "What the energy was read from: RAPL package counters (Linux powercap) and/or nvidia-smi power.draw sampled and integrated",
        get: (r) => r.energy?.source ?? null
    }),
    column({
        key: "energy_note", header: "energy note", kind: "string",
        description: "Why there is no energy figure (or only part of one), in one line: no counters (VMs, macOS), no permission, no driver",
        get: (r) => r.energy?.note ?? null
    }),
    column({
        key: "samples_pp_energy_j", header: "pp energy J", unit: "J", kind: "string",
        description: "Energy of each repetition's prefill, \";\"-separated (empty where not read)",
        get: sampleList((s) => s.ppEnergyJ ?? Number.NaN)
    }),
    column({
        key: "samples_tg_energy_j", header: "tg energy J", unit: "J", kind: "string",
        description: "Energy of each repetition's generation, \";\"-separated (empty where not read)",
        get: sampleList((s) => s.tgEnergyJ ?? Number.NaN)
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
        get: sampleList((s) => s.promptTokens)
    }),
    column({
        key: "samples_pp_ms", header: "pp ms", unit: "ms", kind: "string",
        description: "Prefill wall time of each repetition, \";\"-separated",
        get: sampleList((s) => s.ppMs)
    }),
    column({
        key: "samples_ttft_ms", header: "TTFT ms samples", unit: "ms", kind: "string",
        description: "Time to first token of each repetition, \";\"-separated",
        get: sampleList((s) => s.ttftMs)
    }),
    column({
        key: "samples_gen_tokens", header: "gen tokens", unit: "tokens", kind: "string",
        description: "Generated tokens of each repetition, \";\"-separated",
        get: sampleList((s) => s.genTokens)
    }),
    column({
        key: "samples_tg_ms", header: "tg ms", unit: "ms", kind: "string",
        description: "Generation wall time (llama.cpp's decode + the time outside it) of each repetition, \";\"-separated",
        get: sampleList((s) => s.tgMs)
    }),
    column({
        key: "samples_outside_ms", header: "outside llama.cpp ms", unit: "ms", kind: "string",
        description: "Time outside llama.cpp's decode during generation, of each repetition, \";\"-separated (empty where its counters were missing)",
        get: sampleList((s) => s.outsideMs ?? Number.NaN)
    }),
    column({
        key: "notes", header: "notes", kind: "string",
        description: "Notes on this row: what it could not measure and why, and the other engine's figures for the same test",
        get: (r) => (r.notes != null && r.notes.length > 0 ? r.notes.join("; ") : null)
    }),
    column({
        key: "samples_background_cores", header: "background cores", unit: "cores", kind: "string",
        description: "CPU cores other processes kept busy during each repetition, \";\"-separated (empty where unknown)",
        get: sampleList((s) => s.backgroundCores ?? Number.NaN)
    }),
    column({
        key: "samples_steal_cores", header: "steal cores", unit: "cores", kind: "string",
        description: "Of the background cores, those a virtual machine's host took for other guests (steal), \";\"-separated (empty where unknown)",
        get: sampleList((s) => s.stealCores ?? Number.NaN)
    }),
    column({
        key: "llama_perf", header: "llama.cpp timings", kind: "string",
        description: "llama.cpp's own perf counters of each repetition, as a JSON array (null where not captured)",
        get: (r) => {
            const reps = r.samples.map((s) => s.llama ?? null);
            return reps.every((x) => x == null) ? null : JSON.stringify(reps);
        }
    }),
    column({
        key: "run_id", header: "run", kind: "string",
        description: "The sweep this row belongs to",
        get: (r) => r.runId ?? null
    }),
    column({
        key: "id", header: "id", kind: "string",
        description: "Unique id of this result",
        get: (r) => r.id
    }),
    column({
        key: "engine", header: "engine", kind: "string",
        description: "What measured the row: llamameter (its runner over node-llama-cpp; empty means the same), or llama-bench " +
            "(llama.cpp's own, run by LlamaMeter with the same settings, or imported from its -o csv / -o json output)",
        get: (r) => r.engine ?? null
    }),
    column({
        key: "n_depth", header: "depth", unit: "tokens", kind: "integer",
        description: "Tokens in the KV cache before the test (llama-bench's -d); empty for LlamaMeter rows, whose generation runs at depth n_prompt",
        get: (r) => finite(r.config.nDepth)
    }),
    column({
        key: "imported_from", header: "imported from", kind: "string",
        description: "For an imported row, what was read: llamameter-csv, llama-bench-csv or llama-bench-json",
        get: (r) => r.imported?.format ?? null
    }),
    column({
        key: "imported_at", header: "imported", kind: "string",
        description: "For an imported row, when it was imported (ISO 8601, UTC)",
        get: (r) => r.imported?.at ?? null
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

function memoryColumn(key: string, header: string, description: string, pick: (m: NonNullable<TestResult["memory"]>) => number | undefined): Column {
    return column({key, header, unit: "bytes", kind: "integer", width: 10, description, get: (r) => r.memory != null ? finite(pick(r.memory)) : null, format: formatBytes});
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
