// Reads a CSV written by csvExporter (possibly on another machine, possibly an older column set) back
// into TestResult objects. Columns are matched by key, so their order does not matter and unknown
// columns are ignored; a value that cannot be read fails the import with its row and column named.
import {parse} from "csv-parse/sync";
import type {Bound, Engine, ImportFormat, RepSample, Stats, TestResult, TestStatus, ThreadProbe} from "../types.js";
import {ENGINES, IMPORT_FORMATS} from "../types.js";
import {unguardCsvCell} from "./csvFormulaGuard.js";
import {COLUMNS, STAT_METRICS, splitNumberList, statColumnKey, type CellValue, type Column} from "./columns.js";

type PageCache = NonNullable<TestResult["load"]>["pageCache"];

// Records (not arrays) so the compiler says when a union in types.ts gains a member.
const statuses: Record<TestStatus, true> = {ok: true, error: true, cancelled: true};
const pageCaches: Record<PageCache, true> = {warm: true, partial: true, cold: true, unknown: true};
const bounds: Record<Bound, true> = {"cpu-memory": true, "gpu-memory": true, mixed: true, compute: true, unknown: true};

const engines = Object.fromEntries(ENGINES.map((engine) => [engine, true])) as Record<Engine, true>;
const importFormats = Object.fromEntries(IMPORT_FORMATS.map((format) => [format, true])) as Record<ImportFormat, true>;

/** Repetitions one row may carry: the API allows 100 per test; a 15 MiB row of 8 million samples once ran the import out of memory. */
export const MAX_SAMPLES_PER_ROW = 1000;

const statParts: ReadonlyArray<keyof Stats> = ["n", "mean", "sd", "median", "min", "max"];

/** How csv-parse reads our CSV, in one go (parseResultsCsv) or in chunks (importResults). */
export const resultsCsvParseOptions = {
    columns: true, bom: true, skip_empty_lines: true,
    // A real cell is at most tens of KiB (llama_perf for 100 repetitions); a larger one is refused at once.
    max_record_size: 1 << 20
} as const;

/** Parse the CSV text into results, in file order. Throws an Error naming the row on bad input. */
export function parseResultsCsv(text: string): TestResult[] {
    const records = parse(text, resultsCsvParseOptions) as Array<Record<string, string>>;
    if (records.length === 0)
        return [];
    const known = resultsCsvColumns(records[0]!);
    return records.map((record, index) => resultFromCsvRecord(known, record, index + 1));
}

/** The columns of the table this CSV has (by its first record); throws when it is not a results CSV. */
export function resultsCsvColumns(firstRecord: Record<string, string>): Column[] {
    const known = COLUMNS.filter((c) => Object.hasOwn(firstRecord, c.key));
    if (!known.some((c) => c.key === "status") || !known.some((c) => c.key === "n_prompt"))
        throw new Error("Not a LlamaMeter results CSV (no status / n_prompt columns), nor llama-bench -o csv / -o json output");
    return known;
}

/** One CSV record (row number `row`, from 1) as a result; throws naming the row and the column. */
export function resultFromCsvRecord(known: readonly Column[], record: Record<string, string>, row: number): TestResult {
    const values = new Map<string, CellValue>();
    for (const column of known) {
        // csvExporter guards formula-looking text with a leading '; the import takes it off again.
        const raw = unguardCsvCell(record[column.key] ?? "");
        try {
            values.set(column.key, column.parse != null ? column.parse(raw) : (raw === "" ? null : raw));
        } catch (error) {
            throw new Error(`CSV row ${row}, column ${column.key}: ${(error as Error).message}`);
        }
    }
    try {
        return toResult(new RowValues(values), row);
    } catch (error) {
        throw new Error(`CSV row ${row}: ${(error as Error).message}`);
    }
}

/** Typed access to one row's parsed cells; a missing column reads as null. */
class RowValues {
    constructor(private readonly values: Map<string, CellValue>) {}

    raw(key: string): CellValue {
        return this.values.get(key) ?? null;
    }

    str(key: string): string | null {
        const value = this.raw(key);
        return value == null ? null : String(value);
    }

    num(key: string): number | null {
        const value = this.raw(key);
        if (value == null)
            return null;
        if (typeof value !== "number")
            throw new Error(`${key}: "${String(value)}" is not a number`);
        return value;
    }

    bool(key: string): boolean | null {
        const value = this.raw(key);
        if (value == null)
            return null;
        if (typeof value !== "boolean")
            throw new Error(`${key}: "${String(value)}" is not a boolean`);
        return value;
    }

    list(key: string): number[] {
        const text = this.str(key);
        if (text == null)
            return [];
        // Counted before splitting: one list of millions of numbers would cost far more than the cell.
        let items = 1;
        for (let at = text.indexOf(";"); at !== -1 && items <= MAX_SAMPLES_PER_ROW; at = text.indexOf(";", at + 1))
            items++;
        if (items > MAX_SAMPLES_PER_ROW)
            throw new Error(`${key}: more than ${MAX_SAMPLES_PER_ROW} samples in one row`);
        return splitNumberList(text);
    }

    anySet(keys: readonly string[]): boolean {
        return keys.some((key) => this.raw(key) != null);
    }

    requiredNum(key: string): number {
        const value = this.num(key);
        if (value == null)
            throw new Error(`${key} is empty`);
        return value;
    }

    oneOf<T extends string>(key: string, allowed: Record<T, true>): T | null {
        const value = this.str(key);
        if (value == null)
            return null;
        if (!Object.hasOwn(allowed, value))
            throw new Error(`${key}: "${value}" is not one of ${Object.keys(allowed).join(", ")}`);
        return value as T;
    }
}

/** A number the file does not give, inside an object whose type requires one: NaN, never a guess. */
const unknownNumber = Number.NaN;

function toResult(v: RowValues, row: number): TestResult {
    const modelPath = v.str("model_path") ?? v.str("model_file");
    if (modelPath == null)
        throw new Error("model_path and model_file are empty");

    const gpuLayers = v.raw("gpu_layers");
    if (gpuLayers !== "max" && typeof gpuLayers !== "number")
        throw new Error("gpu_layers is empty");

    const flashAttention = v.bool("flash_attn");
    if (flashAttention == null)
        throw new Error("flash_attn is empty");

    const status = v.oneOf("status", statuses);
    if (status == null)
        throw new Error("status is empty");

    const timestamp = v.str("timestamp");
    if (timestamp == null)
        throw new Error("timestamp is empty");

    // llama-bench's CSV does not say how many repetitions ran: unknown there, required in our own rows.
    const engine = v.oneOf("engine", engines);
    const counted = (key: string) => engine === "llama-bench" ? v.num(key) ?? unknownNumber : v.requiredNum(key);
    const contextSize = v.num("context_size");
    const nDepth = v.num("n_depth");
    const result: TestResult = {
        // Rows always carry an id; one written by hand may not, and ids must be unique in the history.
        id: v.str("id") ?? `imported-${timestamp}-${row}`,
        timestamp,
        status,
        config: {
            modelPath,
            gpuLayers,
            threads: counted("threads"),
            batchSize: counted("batch"),
            ...(contextSize != null ? {contextSize} : {}),
            nPrompt: v.requiredNum("n_prompt"),
            nGen: v.requiredNum("n_gen"),
            reps: counted("reps"),
            flashAttention,
            ...(nDepth != null ? {nDepth} : {})
        },
        env: {
            cpu: v.str("cpu") ?? "",
            physicalCores: v.num("physical_cores"),
            gpu: v.str("gpu") ?? "",
            backend: v.str("backend") ?? "",
            llamaCppRelease: v.str("llama_cpp_release") ?? "",
            nodeLlamaCppVersion: v.str("node_llama_cpp_version") ?? "",
            binary: v.str("binary") ?? "",
            os: v.str("os") ?? "",
            ...(v.num("uv_threadpool_size") != null ? {uvThreadpoolSize: v.num("uv_threadpool_size")!} : {})
        },
        samples: toSamples(v)
    };

    if (engine != null)
        result.engine = engine;
    const importedFrom = v.oneOf("imported_from", importFormats);
    const importedAt = v.str("imported_at");
    if (importedFrom != null && importedAt != null)
        result.imported = {format: importedFrom, at: importedAt};

    const runId = v.str("run_id");
    if (runId != null)
        result.runId = runId;

    const error = v.str("error");
    if (error != null)
        result.error = error;

    const threadProbe = v.str("thread_probe");
    if (threadProbe != null) {
        try {
            result.threadProbe = JSON.parse(threadProbe) as ThreadProbe;
        } catch {
            throw new Error("thread_probe is not valid JSON");
        }
    }

    const notes = v.str("notes");
    if (notes != null)
        result.notes = notes.split("; ");

    // model_file is always written (from the path when the model was never inspected), so it alone
    // does not mean the model was inspected.
    if (v.anySet(["model_params", "model_bytes", "weight_type", "model_layers", "model_synthetic"])) {
        result.model = {
            file: modelPath,
            fileName: v.str("model_file") ?? modelPath.split(/[\\/]/).pop() ?? modelPath,
            fileBytes: v.num("model_bytes") ?? unknownNumber,
            parameters: v.num("model_params") ?? unknownNumber,
            weightType: v.str("weight_type") ?? "",
            nLayer: v.num("model_layers") ?? unknownNumber,
            synthetic: v.bool("model_synthetic") ?? false,
            ...(v.str("converted_from") != null ? {convertedFrom: v.str("converted_from")!} : {})
        };
    }

    if (v.anySet(["load_ms", "page_cache", "page_cache_fraction", "load_gpu_layers", "load_reused"])) {
        const load: NonNullable<TestResult["load"]> = {
            ms: v.num("load_ms") ?? unknownNumber,
            pageCache: v.oneOf("page_cache", pageCaches) ?? "unknown",
            gpuLayers: v.num("load_gpu_layers") ?? unknownNumber
        };
        const fraction = v.num("page_cache_fraction");
        if (fraction != null)
            load.pageCacheFraction = fraction;
        const reused = v.bool("load_reused");
        if (reused != null)
            load.reused = reused;
        const offloaded = /^(\d+)\/(\d+)$/.exec(v.str("gpu_layers_offloaded") ?? "");
        if (offloaded != null) {
            load.offloadedLayers = Number(offloaded[1]);
            load.totalLayers = Number(offloaded[2]);
        }
        result.load = load;
    }

    const memoryKeys = {
        ramPeakBytes: "ram_peak_bytes", ramPeakAnonBytes: "ram_peak_anon_bytes", ramPeakFileBytes: "ram_peak_file_bytes",
        vramPeakBytes: "vram_peak_bytes", ramEstimateBytes: "ram_estimate_bytes", ramEstimateAnonBytes: "ram_estimate_anon_bytes",
        ramEstimateFileBytes: "ram_estimate_file_bytes", vramEstimateBytes: "vram_estimate_bytes"
    } as const;
    if (v.anySet(Object.values(memoryKeys))) {
        const memory: NonNullable<TestResult["memory"]> = {};
        for (const [field, key] of Object.entries(memoryKeys) as Array<[keyof typeof memoryKeys, string]>) {
            const value = v.num(key);
            if (value != null)
                memory[field] = value;
        }
        result.memory = memory;
    }

    const statKeys = STAT_METRICS.flatMap((m) => statParts.map((part) => statColumnKey(m, part)));
    if (v.anySet(statKeys)) {
        const stat = (metric: (typeof STAT_METRICS)[number]): Stats => {
            const parts = statParts.map((part) => [part, v.num(statColumnKey(metric, part)) ?? unknownNumber] as const);
            return Object.fromEntries(parts) as unknown as Stats;
        };
        const byStat = Object.fromEntries(STAT_METRICS.map((m) => [m.stat, stat(m)]));
        result.stats = byStat as NonNullable<TestResult["stats"]>;
    }

    if (v.anySet(["tg_ms_p50", "tg_ms_p90", "tg_ms_p99", "tg_ms_max", "tg_ms_tokens"])) {
        result.tokenLatency = {
            tokens: v.num("tg_ms_tokens") ?? unknownNumber, p50: v.num("tg_ms_p50") ?? unknownNumber, p90: v.num("tg_ms_p90") ?? unknownNumber,
            p99: v.num("tg_ms_p99") ?? unknownNumber, max: v.num("tg_ms_max") ?? unknownNumber
        };
    }

    if (v.anySet(["energy_j", "tokens_per_joule", "energy_source", "energy_note"])) {
        const note = v.str("energy_note");
        result.energy = {joules: v.num("energy_j"), tokensPerJoule: v.num("tokens_per_joule"), source: v.str("energy_source"), ...(note != null ? {note} : {})};
    }

    const ceilingOptional = {
        depth: "kv_depth",
        weightBytesPerToken: "weight_bytes_per_token",
        kvBytesPerToken: "kv_bytes_per_token",
        cpuBytesPerToken: "cpu_bytes_per_token",
        gpuBytesPerToken: "gpu_bytes_per_token",
        cpuBandwidthGBs: "cpu_bandwidth_gbs",
        gpuBandwidthGBs: "gpu_bandwidth_gbs"
    } as const;
    const ceilingKeys = ["bytes_per_token", "ceiling_tps", "ceiling_tps_theoretical", "efficiency", "bound", "ceiling_error", "explanation",
        ...Object.values(ceilingOptional)];
    if (v.anySet(ceilingKeys)) {
        const ceiling: NonNullable<TestResult["ceiling"]> = {
            bytesPerToken: v.num("bytes_per_token") ?? unknownNumber,
            ceilingTps: v.num("ceiling_tps"),
            ceilingTpsTheoretical: v.num("ceiling_tps_theoretical"),
            efficiency: v.num("efficiency"),
            bound: v.oneOf("bound", bounds) ?? "unknown"
        };
        const modelError = v.str("ceiling_error");
        if (modelError != null)
            ceiling.modelError = modelError;
        const explanation = v.str("explanation");
        if (explanation != null)
            ceiling.explanation = explanation;
        for (const [field, key] of Object.entries(ceilingOptional) as Array<[keyof typeof ceilingOptional, string]>) {
            const value = v.num(key);
            if (value != null)
                ceiling[field] = value;
        }
        result.ceiling = ceiling;
    }

    return result;
}

/** The repetitions, from the raw per-repetition columns (the derived t/s lists are for reading only). */
function toSamples(v: RowValues): RepSample[] {
    const lists = {
        promptTokens: v.list("samples_prompt_tokens"),
        ppMs: v.list("samples_pp_ms"),
        ttftMs: v.list("samples_ttft_ms"),
        genTokens: v.list("samples_gen_tokens"),
        tgMs: v.list("samples_tg_ms")
    };
    const outsideMs = v.list("samples_outside_ms");
    const backgroundCores = v.list("samples_background_cores");
    const stealCores = v.list("samples_steal_cores");
    const ppEnergyJ = v.list("samples_pp_energy_j");
    const tgEnergyJ = v.list("samples_tg_energy_j");
    const llamaText = v.str("llama_perf");
    let llama: unknown[] = [];
    if (llamaText != null) {
        try {
            llama = JSON.parse(llamaText) as unknown[];
        } catch {
            throw new Error("llama_perf is not valid JSON");
        }
        if (!Array.isArray(llama))
            throw new Error("llama_perf is not a JSON array");
    }

    const count = Math.max(...Object.values(lists).map((list) => list.length));
    const samples: RepSample[] = [];
    for (let i = 0; i < count; i++) {
        const sample: RepSample = {
            promptTokens: lists.promptTokens[i] ?? unknownNumber,
            ppMs: lists.ppMs[i] ?? unknownNumber,
            ttftMs: lists.ttftMs[i] ?? unknownNumber,
            genTokens: lists.genTokens[i] ?? unknownNumber,
            tgMs: lists.tgMs[i] ?? unknownNumber
        };
        const outside = outsideMs[i];
        if (outside != null && Number.isFinite(outside))
            sample.outsideMs = outside;
        const background = backgroundCores[i];
        if (background != null && Number.isFinite(background))
            sample.backgroundCores = background;
        const steal = stealCores[i];
        if (steal != null && Number.isFinite(steal))
            sample.stealCores = steal;
        const ppEnergy = ppEnergyJ[i];
        const tgEnergy = tgEnergyJ[i];
        if (ppEnergy != null && Number.isFinite(ppEnergy))
            sample.ppEnergyJ = ppEnergy;
        if (tgEnergy != null && Number.isFinite(tgEnergy))
            sample.tgEnergyJ = tgEnergy;
        const timings = llama[i];
        if (timings != null && typeof timings === "object")
            sample.llama = timings as RepSample["llama"] & object;
        samples.push(sample);
    }
    return samples;
}
