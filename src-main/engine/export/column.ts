// What a column is and the kit its entries are built with: the value helpers (parse, format), and the way back
// (ResultDraft and the put helpers) that lets CSV import put each value where its column took it from.
// Plain data and functions only (no Node imports): the renderer imports the table too.
import type {BenchEnvironment, BinaryInfo, CeilingInfo, EnergyRecord, ImportFormat, TokenLatency, LoadRecord, MemoryRecord, RepSample, Stats, TestConfig, TestResult} from "../types.js";
import {formatBytes} from "../formatBytes.js";

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
    /** Puts a (non-null) raw value back where `get` took it from, in a result being rebuilt from a file (CSV
     *  import). Absent for derived columns (per-repetition rates, the formatted binary): their sources have columns. */
    put?: (draft: ResultDraft, value: CellValue) => void,
    /** Numbers right-aligned in text tables. */
    align?: "left" | "right",
    /** Minimum text width, so a table printed row by row stays aligned. */
    width?: number
}

// ---- the way back: a result being rebuilt, column by column -----------------------------------------

export type StatsKey = keyof NonNullable<TestResult["stats"]>;
type ModelRecord = NonNullable<TestResult["model"]>;

/** What the columns of one row put back; completeResult (parseResultsCsv) checks it and fills what a file may lack. */
export interface ResultDraft {
    top: Partial<Pick<TestResult, "id" | "timestamp" | "status" | "error" | "runId" | "engine" | "notes" | "threadProbe">>,
    config: Partial<TestConfig>,
    env: Partial<Omit<BenchEnvironment, "binary">>,
    binary: Partial<BinaryInfo>,
    /** The binary column's one-line text (files older than the build_type / cpu_variant / thread_runtime columns). */
    binaryText?: string,
    /** model_file: the file name, also the model's path when model_path is empty. */
    modelFile?: string,
    model?: Partial<ModelRecord>,
    load?: Partial<LoadRecord>,
    memory?: MemoryRecord,
    stats?: Partial<Record<StatsKey, Partial<Stats>>>,
    ceiling?: Partial<CeilingInfo>,
    tokenLatency?: Partial<TokenLatency>,
    energy?: Partial<EnergyRecord>,
    imported?: {format?: ImportFormat, at?: string},
    /** Per-repetition lists, by RepSample field. */
    samples: Partial<Record<SampleField, number[]>>,
    /** llama_perf: llama.cpp's counters per repetition. */
    llama?: unknown[]
}

/** The RepSample fields kept as ";"-separated lists. */
export type SampleField = Exclude<keyof RepSample, "llama">;

/** Repetitions one row may carry: the API allows 100 per test; a 15 MiB row of 8 million samples once ran the import out of memory. */
export const MAX_SAMPLES_PER_ROW = 1000;

type Groups = {
    model: Partial<ModelRecord>, load: Partial<LoadRecord>, memory: MemoryRecord, ceiling: Partial<CeilingInfo>,
    tokenLatency: Partial<TokenLatency>, energy: Partial<EnergyRecord>
};

/** A draft's optional part, made when its first column is put: a row has a group when any of its columns has a value. */
export function group<K extends keyof Groups>(draft: ResultDraft, name: K): Groups[K] {
    return (draft[name] ??= {}) as Groups[K];
}

export function set(write: (draft: ResultDraft, value: string) => void): NonNullable<Column["put"]> {
    return (draft, value) => write(draft, String(value));
}

export function setNumber(write: (draft: ResultDraft, value: number) => void): NonNullable<Column["put"]> {
    return (draft, value) => {
        if (typeof value !== "number")
            throw new Error(`"${String(value)}" is not a number`);
        write(draft, value);
    };
}

export function setBoolean(write: (draft: ResultDraft, value: boolean) => void): NonNullable<Column["put"]> {
    return (draft, value) => {
        if (typeof value !== "boolean")
            throw new Error(`"${String(value)}" is not a boolean`);
        write(draft, value);
    };
}

export function setSamples(field: SampleField): NonNullable<Column["put"]> {
    return set((draft, text) => {
        // Counted before splitting: one list of millions of numbers would cost far more than the cell.
        let items = 1;
        for (let at = text.indexOf(";"); at !== -1 && items <= MAX_SAMPLES_PER_ROW; at = text.indexOf(";", at + 1))
            items++;
        if (items > MAX_SAMPLES_PER_ROW)
            throw new Error(`more than ${MAX_SAMPLES_PER_ROW} samples in one row`);
        draft.samples[field] = splitNumberList(text);
    });
}

/** A value of a closed set, or an error naming the set. */
export function oneOf<T extends string>(value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value))
        throw new Error(`"${value}" is not one of ${allowed.join(", ")}`);
    return value as T;
}

export function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw new Error("not valid JSON");
    }
}

// ---- value helpers --------------------------------------------------------------------------------

/** Finite numbers only: a NaN / Infinity (or a null from JSON) is "not measured", never a number. */
export function finite(v: number | null | undefined): number | null {
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

export function fixed(digits: number): (v: CellValue) => string {
    return (v) => (typeof v === "number" ? v.toFixed(digits) : v == null ? "" : String(v));
}

/** A size cell, in the one size format (formatBytes). */
export function formatSize(v: CellValue): string {
    return typeof v === "number" ? formatBytes(v) : v == null ? "" : String(v);
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

export function formatPercent(v: CellValue): string {
    return typeof v === "number" ? `${(v * 100).toFixed(1)} %` : v == null ? "" : String(v);
}

export function formatYesNo(v: CellValue): string {
    return v === true ? "yes" : v === false ? "no" : v == null ? "" : String(v);
}

export function formatTimestamp(v: CellValue): string {
    // ISO 8601 in UTC, shown without the "T" and the milliseconds.
    return typeof v === "string" ? v.replace("T", " ").replace(/\.\d+Z$|Z$/, "Z") : v == null ? "" : String(v);
}

export function baseName(path: string): string {
    return path.split(/[\\/]/).pop() ?? path;
}

/** The type of a column's raw value. */
type Kind = "string" | "integer" | "number" | "boolean";

interface ColumnSpec extends Omit<Column, "align"> {
    kind: Kind
}

/** A column whose CSV parser and alignment follow from the kind of value it holds. */
export function column(spec: ColumnSpec): Column {
    const {kind, ...rest} = spec;
    const parse = spec.parse ?? (kind === "string" ? parseString
        : kind === "boolean" ? parseBoolean
        : kind === "integer" ? parseInteger
        : parseNumber);
    return {...rest, parse, align: kind === "integer" || kind === "number" ? "right" : "left"};
}

export function parseInteger(s: string): number | null {
    const value = parseNumber(s);
    if (value != null && !Number.isInteger(value))
        throw new Error(`"${s}" is not an integer`);
    return value;
}

