// llama.cpp's own benchmark, llama-bench, as rows of its own kind (engine "llama-bench") beside ours.
// Reads one test of its `-o csv`, `-o json` or `-o jsonl` output (the fields of test::get_fields() in
// tools/llama-bench/llama-bench.cpp; older releases lack some, which are then left unknown).
//
// A llama-bench test is pp (n_prompt tokens, at depth n_depth), tg (n_gen tokens one at a time, at
// depth n_depth) or pg (both, one rate over the two): pp becomes our prompt rate, tg our generation
// rate; a pg rate mixes both and has no column of ours, so pg tests are not imported (the caller counts them).
import {createHash} from "node:crypto";
import type {LlamaKvCacheType, RepSample, Stats, TestResult} from "../types.js";
import {LLAMA_KV_CACHE_TYPES} from "../types.js";
import {computeStats} from "../bench/stats.js";

/** The fields every llama-bench output has had, in CSV header order; a CSV with them all is llama-bench's. */
const requiredFields = ["model_filename", "n_prompt", "n_gen", "avg_ts", "test_time"] as const;

/** Whether a CSV's first record (or a JSON object) comes from llama-bench. */
export function isLlamaBenchRecord(record: Record<string, unknown>): boolean {
    return requiredFields.every((field) => Object.hasOwn(record, field)) && !Object.hasOwn(record, "status");
}

const unknownStats: Stats = {n: 0, mean: Number.NaN, sd: Number.NaN, median: Number.NaN, min: Number.NaN, max: Number.NaN};

/**
 * One llama-bench test as a result, or null for a pg test (see above). `record` is a CSV record (all
 * strings) or a JSON object; throws an Error naming the field on a value that cannot be read.
 */
export function llamaBenchResult(record: Record<string, unknown>, maxSamples: number): TestResult | null {
    const nPrompt = int(record, "n_prompt");
    const nGen = int(record, "n_gen");
    if (nPrompt > 0 && nGen > 0)
        return null;
    if (nPrompt === 0 && nGen === 0)
        throw new Error("n_prompt and n_gen are both 0");
    const nDepth = optionalInt(record, "n_depth") ?? 0;
    const timestamp = text(record, "test_time");
    const file = text(record, "model_filename");
    const modelType = optionalText(record, "model_type") ?? "";
    const samplesNs = numberList(record, "samples_ns", maxSamples);
    const avgNs = optionalNumber(record, "avg_ns");
    const avgTs = number(record, "avg_ts");
    const stddevTs = optionalNumber(record, "stddev_ts");
    const buildCommit = optionalText(record, "build_commit");
    const buildNumber = optionalInt(record, "build_number");
    const tokens = nPrompt > 0 ? nPrompt : nGen;

    // JSON gives every repetition; CSV only the mean and the standard deviation.
    const tsStats: Stats = samplesNs.length > 0
        ? computeStats(samplesNs.map((ns) => tokens / (ns / 1e9)))
        : {...unknownStats, mean: avgTs, sd: stddevTs ?? Number.NaN};
    const msPerToken: Stats = samplesNs.length > 0
        ? computeStats(samplesNs.map((ns) => ns / 1e6 / tokens))
        : {...unknownStats, mean: avgNs != null ? avgNs / 1e6 / tokens : Number.NaN};
    const samples: RepSample[] = samplesNs.map((ns) => nPrompt > 0
        ? {promptTokens: nPrompt, ppMs: ns / 1e6, ttftMs: Number.NaN, genTokens: 0, tgMs: Number.NaN}
        : {promptTokens: 0, ppMs: Number.NaN, ttftMs: Number.NaN, genTokens: nGen, tgMs: ns / 1e6, outsideMs: 0});

    const threads = optionalInt(record, "n_threads");
    const batch = optionalInt(record, "n_batch");
    const gpuLayers = optionalInt(record, "n_gpu_layers") ?? 0;
    // llama-bench's context is n_prompt + n_gen + n_depth (it makes one per test).
    const contextSize = nPrompt + nGen + nDepth;
    const backend = optionalText(record, "backends") ?? optionalText(record, "backend") ?? "";
    const ubatch = optionalInt(record, "n_ubatch");
    const typeK = kvCacheType(record, "type_k");
    const typeV = kvCacheType(record, "type_v");
    const useMmap = mmapOf(record);
    // Settings beyond llama-bench's defaults tell two tests apart (a -ctk f16,q8_0 sweep); at the defaults the id
    // stays what earlier imports gave the row, so re-importing an old file finds its rows.
    const beyondDefaults = [typeK !== "f16" ? typeK : null, typeV !== "f16" ? typeV : null,
        ubatch !== 512 ? ubatch : null, useMmap === false ? "no-mmap" : null];
    const canonical = JSON.stringify([buildCommit, buildNumber, file, timestamp, nPrompt, nGen, nDepth, threads, batch, gpuLayers, avgTs,
        ...(beyondDefaults.some((value) => value != null) ? [beyondDefaults] : [])]);

    return {
        // The same test read from its CSV and from its JSON gets the same id: importing both is one row.
        id: `llama-bench:${createHash("sha256").update(canonical).digest("hex").slice(0, 32)}`,
        engine: "llama-bench",
        timestamp,
        status: "ok",
        config: {
            modelPath: file,
            gpuLayers,
            threads: threads ?? Number.NaN,
            batchSize: batch ?? Number.NaN,
            contextSize,
            nPrompt,
            nGen,
            reps: samplesNs.length > 0 ? samplesNs.length : Number.NaN,
            flashAttention: flashAttention(record),
            nDepth,
            ...(typeK != null ? {typeK} : {}),
            ...(typeV != null ? {typeV} : {}),
            ...(ubatch != null ? {ubatchSize: ubatch} : {}),
            ...(useMmap != null ? {useMmap} : {})
        },
        model: {
            file,
            fileName: file.split(/[\\/]/).pop() ?? file,
            fileBytes: optionalInt(record, "model_size") ?? Number.NaN,
            parameters: optionalInt(record, "model_n_params") ?? Number.NaN,
            // "llama 1B Q4_0": the last word is the weight type.
            weightType: modelType.split(/\s+/).pop()?.toUpperCase() ?? "",
            nLayer: Number.NaN,
            synthetic: false
        },
        env: {
            cpu: optionalText(record, "cpu_info") ?? "",
            physicalCores: null,
            gpu: optionalText(record, "gpu_info") ?? "",
            backend: backend.toLowerCase(),
            llamaCppRelease: buildNumber != null ? `b${buildNumber}${buildCommit != null ? ` (${buildCommit})` : ""}` : buildCommit ?? "",
            nodeLlamaCppVersion: "",
            binary: {buildType: "llama-bench", cpuVariant: null, threadRuntime: null},
            os: ""
        },
        samples,
        stats: {
            ppTps: nPrompt > 0 ? tsStats : unknownStats,
            tgTps: nGen > 0 ? tsStats : unknownStats,
            // llama-bench times its decodes alone: its tg rate is a decode rate
            tgDecodeTps: nGen > 0 ? tsStats : unknownStats,
            ttftMs: unknownStats,
            tgMsPerToken: nGen > 0 ? msPerToken : unknownStats,
            outsideMsPerToken: unknownStats
        }
    };
}

/** flash_attn: a bool in older releases, then -1 (auto), 0 or 1. Auto turns it on wherever the backend
 *  supports it, which the CPU backend always does (README: "llama-bench's auto, on for CPU"). */
function flashAttention(record: Record<string, unknown>): boolean {
    const value = record.flash_attn;
    if (value == null || value === "")
        return false;
    if (typeof value === "boolean")
        return value;
    const textValue = String(value).trim().toLowerCase();
    if (textValue === "true" || textValue === "1" || textValue === "-1")
        return true;
    if (textValue === "false" || textValue === "0")
        return false;
    throw new Error(`flash_attn: "${String(value)}" is not -1, 0 or 1`);
}

/** type_k / type_v as a KV-cache type llama.cpp takes; null when absent. Another ggml type is refused in one line
 *  rather than dropped: a row must not claim a cache it did not have. */
function kvCacheType(record: Record<string, unknown>, key: string): LlamaKvCacheType | null {
    const value = optionalText(record, key);
    if (value == null)
        return null;
    const type = LLAMA_KV_CACHE_TYPES.find((known) => known === value.toLowerCase());
    if (type == null)
        throw new Error(`${key}: "${value}" is not a KV-cache type llama.cpp takes (${LLAMA_KV_CACHE_TYPES.join(", ")})`);
    return type;
}

/** Whether the model was memory-mapped: use_mmap (older releases, a bool) or load_mode (recent: mmap, mmap+mlock,
 *  none, mlock, dio; auto decides by device and is left unknown). */
function mmapOf(record: Record<string, unknown>): boolean | null {
    const useMmap = optionalText(record, "use_mmap");
    if (useMmap != null) {
        const lower = useMmap.toLowerCase();
        if (lower === "true" || lower === "1")
            return true;
        if (lower === "false" || lower === "0")
            return false;
        throw new Error(`use_mmap: "${useMmap}" is not 0 or 1`);
    }
    const mode = optionalText(record, "load_mode")?.toLowerCase();
    if (mode === "mmap" || mode === "mmap+mlock")
        return true;
    if (mode === "none" || mode === "mlock" || mode === "dio")
        return false;
    return null;
}

function optionalText(record: Record<string, unknown>, key: string): string | null {
    const value = record[key];
    if (value == null || value === "")
        return null;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
        throw new Error(`${key} is not text`);
    return String(value);
}


function optionalNumber(record: Record<string, unknown>, key: string): number | null {
    const value = record[key];
    if (value == null || value === "")
        return null;
    const parsed = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN;
    if (!Number.isFinite(parsed))
        throw new Error(`${key}: "${String(value)}" is not a number`);
    return parsed;
}


function optionalInt(record: Record<string, unknown>, key: string): number | null {
    const value = optionalNumber(record, key);
    if (value != null && (!Number.isInteger(value) || value < 0 && key !== "n_gpu_layers"))
        throw new Error(`${key}: "${String(record[key])}" is not a whole number`);
    return value;
}


/** A value the row must have: the optional reader's answer, or an error naming the empty key. */
function required<T>(read: (record: Record<string, unknown>, key: string) => T | null): (record: Record<string, unknown>, key: string) => T {
    return (record, key) => {
        const value = read(record, key);
        if (value == null)
            throw new Error(`${key} is empty`);
        return value;
    };
}

const text = required(optionalText);
const number = required(optionalNumber);
const int = required(optionalInt);

function numberList(record: Record<string, unknown>, key: string, max: number): number[] {
    const value = record[key];
    if (value == null)
        return [];
    if (!Array.isArray(value))
        throw new Error(`${key} is not a list`);
    if (value.length > max)
        throw new Error(`${key}: more than ${max} samples in one row`);
    return value.map((item) => {
        if (typeof item !== "number" || !Number.isFinite(item) || item <= 0)
            throw new Error(`${key}: "${String(item)}" is not a positive number`);
        return item;
    });
}
