// Reads an imported file into result rows without holding up the process: CSV is parsed in chunks and
// rows are converted in batches, yielding to the event loop in between, so browser mode (and the
// Electron main process) keeps answering other requests during a large import. The audit's 64 MiB CSV
// parsed in one go blocked the event loop for 12.6 s and reached 1.6 GB RSS.
//
// Accepts LlamaMeter's results CSV (any export of it) and llama-bench's -o csv, -o json and -o jsonl.
import {setImmediate as yieldToEventLoop} from "node:timers/promises";
import {Parser} from "csv-parse";
import type {ImportFormat, TestResult} from "../types.js";
import {resultFromCsvRecord, resultsCsvColumns, resultsCsvParseOptions} from "./parseResultsCsv.js";
import {MAX_SAMPLES_PER_ROW} from "./column.js";
import {isLlamaBenchRecord, llamaBenchResult} from "./llamaBenchResult.js";
import {oneLine} from "../oneLine.js";

/** The most rows one import reads (a year of daily 50-test sweeps is ~18,000). */
export const MAX_IMPORT_ROWS = 20_000;

export interface ImportedRows {
    format: ImportFormat,
    rows: TestResult[],
    /** llama-bench pg tests, whose one rate mixes prompt and generation: not imported. */
    skippedMixed: number
}

export interface ImportResultsOptions {
    signal?: AbortSignal,
    /** Default MAX_IMPORT_ROWS. */
    maxRows?: number
}

/** Characters parsed between two yields to the event loop (about 30 ms of csv-parse on a 2-core VM). */
const chunkChars = 64 * 1024;
/** Rows converted between two yields (a row with its samples and llama.cpp counters took ~1 ms here). */
const batchRows = 50;

/** Parses `text` into rows; throws an Error with one line (naming the row where there is one) on bad input. */
export async function importResults(text: string, options: ImportResultsOptions = {}): Promise<ImportedRows> {
    const maxRows = options.maxRows ?? MAX_IMPORT_ROWS;
    const start = text.replace(/^\uFEFF/, "").trimStart();
    if (start.startsWith("[") || start.startsWith("{"))
        return await importLlamaBenchJson(start, maxRows, options.signal);

    const records = await parseCsvInChunks(text, maxRows, options.signal);
    if (records.length === 0)
        return {format: "llamameter-csv", rows: [], skippedMixed: 0};
    if (isLlamaBenchRecord(records[0]!))
        return await convert("llama-bench-csv", records, (record, row) => llamaBench(record, row), options.signal);
    const known = resultsCsvColumns(records[0]!);
    return await convert("llamameter-csv", records, (record, row) => resultFromCsvRecord(known, record, row), options.signal);
}

function llamaBench(record: Record<string, unknown>, row: number): TestResult | null {
    try {
        return llamaBenchResult(record, MAX_SAMPLES_PER_ROW);
    } catch (error) {
        throw new Error(`llama-bench test ${row}: ${(error as Error).message}`);
    }
}

async function parseCsvInChunks(text: string, maxRows: number, signal?: AbortSignal): Promise<Array<Record<string, string>>> {
    const records: Array<Record<string, string>> = [];
    const parser = new Parser(resultsCsvParseOptions);
    let failure: Error | null = null;
    parser.on("readable", () => {
        for (let record = parser.read() as Record<string, string> | null; record != null; record = parser.read() as Record<string, string> | null)
            records.push(record);
    });
    parser.on("error", (error) => {
        failure = error;
    });
    const ended = new Promise<void>((resolve) => parser.on("end", resolve).on("error", () => resolve()));
    for (let at = 0; at < text.length && failure == null; at += chunkChars) {
        parser.write(text.slice(at, at + chunkChars));
        await yieldToEventLoop();
        signal?.throwIfAborted();
        if (records.length > maxRows)
            throw tooManyRows(maxRows);
    }
    if (failure == null)
        parser.end();
    await ended;
    if (failure != null)
        throw new Error(oneLine((failure as Error).message));
    if (records.length > maxRows)
        throw tooManyRows(maxRows);
    return records;
}

async function importLlamaBenchJson(text: string, maxRows: number, signal?: AbortSignal): Promise<ImportedRows> {
    // -o json is one array; -o jsonl one object per line.
    let values: unknown[];
    try {
        values = text.startsWith("[")
            ? JSON.parse(text) as unknown[]
            : text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as unknown);
    } catch (error) {
        throw new Error(`not valid JSON: ${oneLine((error as Error).message)}`);
    }
    if (!Array.isArray(values))
        throw new Error("not a list of llama-bench tests");
    if (values.length > maxRows)
        throw tooManyRows(maxRows);
    const records = values.map((value, index) => {
        if (value == null || typeof value !== "object" || Array.isArray(value) || !isLlamaBenchRecord(value as Record<string, unknown>))
            throw new Error(`item ${index + 1} is not a llama-bench test (no model_filename, n_prompt, n_gen, avg_ts, test_time)`);
        return value as Record<string, unknown>;
    });
    return await convert("llama-bench-json", records, (record, row) => llamaBench(record, row), signal);
}

async function convert<R>(
    format: ImportFormat, records: readonly R[], toRow: (record: R, row: number) => TestResult | null, signal?: AbortSignal
): Promise<ImportedRows> {
    const rows: TestResult[] = [];
    let skippedMixed = 0;
    for (const [index, record] of records.entries()) {
        if (index > 0 && index % batchRows === 0) {
            await yieldToEventLoop();
            signal?.throwIfAborted();
        }
        const row = toRow(record, index + 1);
        if (row == null)
            skippedMixed++;
        else
            rows.push(row);
    }
    return {format, rows, skippedMixed};
}

function tooManyRows(maxRows: number): Error {
    return new Error(`more than ${maxRows.toLocaleString("en-US")} rows: at most ${maxRows.toLocaleString("en-US")} are imported at once; split the file`);
}

