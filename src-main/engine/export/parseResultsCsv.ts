// Reads a CSV written by csvExporter (possibly on another machine, possibly an older column set) back
// into TestResult objects through the column table itself: each column puts its value back where it took it
// from (columns.ts), so a new column is read back with no change here. Columns are matched by key, so their
// order does not matter and unknown columns are ignored; a value that cannot be read fails the import with
// its row and column named.
import {parse} from "csv-parse/sync";
import {parseBinary} from "../llama/formatBinary.js";
import type {BinaryInfo, RepSample, Stats, TestResult} from "../types.js";
import {unguardCsvCell} from "./csvFormulaGuard.js";
import {COLUMNS, STAT_METRICS, type Column, type ResultDraft} from "./columns.js";

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

/** One CSV record (row number `row`, from 1) as a result: each column puts its value back; throws naming the row and the column. */
export function resultFromCsvRecord(known: readonly Column[], record: Record<string, string>, row: number): TestResult {
    const draft: ResultDraft = {top: {}, config: {}, env: {}, binary: {}, samples: {}};
    for (const column of known) {
        if (column.put == null)
            continue;
        // csvExporter guards formula-looking text with a leading '; the import takes it off again.
        const raw = unguardCsvCell(record[column.key] ?? "");
        try {
            const value = column.parse != null ? column.parse(raw) : (raw === "" ? null : raw);
            if (value != null)
                column.put(draft, value);
        } catch (error) {
            throw new Error(`CSV row ${row}, column ${column.key}: ${(error as Error).message}`);
        }
    }
    try {
        return completeResult(draft, row);
    } catch (error) {
        throw new Error(`CSV row ${row}: ${(error as Error).message}`);
    }
}

/** A number the file does not give, inside an object whose type requires one: NaN, never a guess. */
const unknownNumber = Number.NaN;

/** The result the columns put back: what every row must have is checked, what a file may lack is unknown (NaN). */
function completeResult(d: ResultDraft, row: number): TestResult {
    const modelPath = d.config.modelPath ?? d.modelFile;
    if (modelPath == null)
        throw new Error("model_path and model_file are empty");
    const {gpuLayers, flashAttention, nPrompt, nGen} = d.config;
    if (gpuLayers == null)
        throw new Error("gpu_layers is empty");
    if (flashAttention == null)
        throw new Error("flash_attn is empty");
    if (nPrompt == null)
        throw new Error("n_prompt is empty");
    if (nGen == null)
        throw new Error("n_gen is empty");
    const {status, timestamp} = d.top;
    if (status == null)
        throw new Error("status is empty");
    if (timestamp == null)
        throw new Error("timestamp is empty");
    // llama-bench's CSV does not say how many repetitions ran: unknown there, required in our own rows.
    const counted = (value: number | undefined, key: string): number => {
        if (value != null)
            return value;
        if (d.top.engine === "llama-bench")
            return unknownNumber;
        throw new Error(`${key} is empty`);
    };

    const result: TestResult = {
        ...d.top,
        // Rows always carry an id; one written by hand may not, and ids must be unique in the history.
        id: d.top.id ?? `imported-${timestamp}-${row}`,
        timestamp,
        status,
        config: {
            ...d.config,
            modelPath, gpuLayers, flashAttention, nPrompt, nGen,
            threads: counted(d.config.threads, "threads"),
            batchSize: counted(d.config.batchSize, "batch"),
            reps: counted(d.config.reps, "reps")
        },
        env: {
            cpu: "", physicalCores: null, gpu: "", backend: "", llamaCppRelease: "", nodeLlamaCppVersion: "", os: "",
            ...d.env,
            binary: binaryOf(d)
        },
        samples: samplesOf(d)
    };
    if (d.imported?.format != null && d.imported.at != null)
        result.imported = {format: d.imported.format, at: d.imported.at};
    // model_file is always written (from the path when the model was never inspected), so it alone
    // does not mean the model was inspected.
    if (d.model != null)
        result.model = {
            file: modelPath, fileName: d.modelFile ?? modelPath.split(/[\\/]/).pop() ?? modelPath,
            fileBytes: unknownNumber, parameters: unknownNumber, weightType: "", nLayer: unknownNumber, synthetic: false,
            ...d.model
        };
    if (d.load != null)
        result.load = {ms: unknownNumber, pageCache: "unknown", gpuLayers: unknownNumber, ...d.load};
    if (d.memory != null)
        result.memory = d.memory;
    if (d.stats != null) {
        const unknownStats: Stats = {n: unknownNumber, mean: unknownNumber, sd: unknownNumber, median: unknownNumber, min: unknownNumber, max: unknownNumber};
        result.stats = Object.fromEntries(STAT_METRICS.map((m) => [m.stat, {...unknownStats, ...d.stats![m.stat]}])) as NonNullable<TestResult["stats"]>;
    }
    if (d.ceiling != null)
        result.ceiling = {bytesPerToken: unknownNumber, ceilingTps: null, ceilingTpsTheoretical: null, efficiency: null, bound: "unknown", ...d.ceiling};
    if (d.tokenLatency != null)
        result.tokenLatency = {tokens: unknownNumber, p50: unknownNumber, p90: unknownNumber, p99: unknownNumber, max: unknownNumber, ...d.tokenLatency};
    if (d.energy != null)
        result.energy = {joules: null, tokensPerJoule: null, source: null, ...d.energy};
    return result;
}

/** The binary's facts from their own columns, else from the text of older files' binary column. */
function binaryOf(d: ResultDraft): BinaryInfo {
    const fromText = d.binaryText != null ? parseBinary(d.binaryText) : null;
    if (d.binary.buildType == null)
        return fromText ?? {buildType: d.binaryText ?? "unknown", cpuVariant: null, threadRuntime: null};
    return {...fromText, cpuVariant: null, threadRuntime: null, ...d.binary, buildType: d.binary.buildType};
}

/** The repetitions, from the per-repetition columns (the derived t/s lists are for reading only). */
function samplesOf(d: ResultDraft): RepSample[] {
    const {promptTokens = [], ppMs = [], ttftMs = [], genTokens = [], tgMs = [], outsideMs = [], backgroundCores = [], stealCores = [],
        ppEnergyJ = [], tgEnergyJ = []} = d.samples;
    const count = Math.max(promptTokens.length, ppMs.length, ttftMs.length, genTokens.length, tgMs.length);
    const samples: RepSample[] = [];
    for (let i = 0; i < count; i++) {
        const sample: RepSample = {
            promptTokens: promptTokens[i] ?? unknownNumber,
            ppMs: ppMs[i] ?? unknownNumber,
            ttftMs: ttftMs[i] ?? unknownNumber,
            genTokens: genTokens[i] ?? unknownNumber,
            tgMs: tgMs[i] ?? unknownNumber
        };
        // absent, not NaN, where unknown: the optional fields' meaning
        const optional = {outsideMs: outsideMs[i], backgroundCores: backgroundCores[i], stealCores: stealCores[i], ppEnergyJ: ppEnergyJ[i], tgEnergyJ: tgEnergyJ[i]};
        for (const [field, value] of Object.entries(optional) as Array<[keyof typeof optional, number | undefined]>)
            if (value != null && Number.isFinite(value))
                sample[field] = value;
        const timings = d.llama?.[i];
        if (timings != null && typeof timings === "object")
            sample.llama = timings as RepSample["llama"] & object;
        samples.push(sample);
    }
    return samples;
}
