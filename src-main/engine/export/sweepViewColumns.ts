// The table and Markdown views of a sweep's rows: the default view, plus the column of each axis the sweep
// varies or sets away from its default (depth, KV-cache types, micro-batch, mmap), so a depth sweep's rows say
// their depth. Plain data and functions only (the renderer may use it too).
import type {SweepSpec, TestResult} from "../types.js";
import {DEFAULT_COLUMNS, REPORT_COLUMNS, getColumn, type Column} from "./columns.js";

/** The axes a view may show: a sweep's lists, or (axesOfRows) the values a set of rows ran with. */
export type SweepAxisLists = {
    nDepth?: readonly number[],
    cacheTypeK?: readonly string[],
    cacheTypeV?: readonly string[],
    useMmap?: readonly boolean[],
    /** Whether a micro-batch other than the batch was asked for. */
    ubatch?: boolean,
    /** Whether llama-bench may measure rows too (engines with it, or beside the rows where node-llama-cpp falls short). */
    native?: boolean
};

/**
 * The default view (or the report view, "md") with the swept axes' columns after n_gen, and the KV cache's bytes
 * per token before the ceiling when the depth or the KV type moves it. A SweepSpec is read as its lists.
 */
export function sweepViewColumns(axes: SweepAxisLists | SweepSpec, view: "table" | "md" = "table"): readonly Column[] {
    const base = view === "md" ? REPORT_COLUMNS : DEFAULT_COLUMNS;
    const shown = (list: readonly unknown[] | undefined, standard: unknown) => list != null && list.some((value) => value !== standard);
    const depth = shown(axes.nDepth, 0);
    const kv = shown(axes.cacheTypeK, "f16") || shown(axes.cacheTypeV, "f16");
    const ubatch = "ubatchSizes" in axes ? axes.ubatchSizes != null : (axes as SweepAxisLists).ubatch === true;
    const native = "models" in axes ? (axes.engines ?? []).includes("llama-bench") || axes.nativeWhereShort === true
        : (axes as SweepAxisLists).native === true;
    const extra = [
        ...(depth ? ["n_depth"] : []),
        ...(kv ? ["type_k", "type_v"] : []),
        ...(ubatch ? ["n_ubatch"] : []),
        ...(shown(axes.useMmap, true) ? ["use_mmap"] : []),
        // which engine measured the row, when llama-bench's rows may sit among LlamaMeter's
        ...(native ? ["engine"] : [])
    ];
    if (extra.length === 0)
        return base;
    const at = base.findIndex((column) => column.key === "n_gen") + 1;
    const tail = base.slice(at);
    // The KV cache's share of the bytes read is what moves the ceiling along these two axes.
    const kvBytes = depth || kv ? tail.findIndex((column) => column.key === "ceiling_tps") : -1;
    const withKvBytes = kvBytes >= 0 ? [...tail.slice(0, kvBytes), getColumn("kv_bytes_per_token"), ...tail.slice(kvBytes)] : tail;
    return [...base.slice(0, at), ...extra.map(getColumn), ...withKvBytes];
}

/** What the rows ran with, as lists for sweepViewColumns (rows older than these axes count as their defaults). */
export function axesOfRows(rows: readonly TestResult[]): SweepAxisLists {
    return {
        nDepth: rows.map((row) => row.config.nDepth ?? 0),
        cacheTypeK: rows.map((row) => row.config.typeK ?? "f16"),
        cacheTypeV: rows.map((row) => row.config.typeV ?? "f16"),
        useMmap: rows.map((row) => row.config.useMmap ?? true),
        ubatch: rows.some((row) => row.config.ubatchSize != null && row.config.ubatchSize !== row.config.batchSize),
        native: rows.some((row) => row.engine === "llama-bench")
    };
}
