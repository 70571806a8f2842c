// An aligned plain-text table for the console: the default-view columns, human-formatted.
import type {TestResult} from "../types.js";
import {formatCell, type Column} from "./columns.js";
import {axesOfRows, sweepViewColumns} from "./sweepViewColumns.js";
import type {Exporter} from "./exporter.js";

/** One line of a cell: control characters would break the alignment (and the terminal). */
export function tableCellText(column: Column, result: TestResult): string {
    return formatCell(column, result).replace(/[\r\n\t]+/g, " ");
}

function pad(text: string, width: number, align: Column["align"]): string {
    return align === "right" ? text.padStart(width) : text.padEnd(width);
}

/** One table line; trailing spaces trimmed so a long last column (the error) does not wrap blank space. */
export function tableLine(cells: readonly string[], columns: readonly Column[], widths: readonly number[]): string {
    return cells.map((cell, i) => pad(cell, widths[i] ?? 0, columns[i]?.align)).join("  ").trimEnd() + "\n";
}

/** The header line and the rule under it. */
export function tableHeader(columns: readonly Column[], widths: readonly number[]): string {
    // Nothing follows the last column, so its rule need not run as long as its longest cell (an error).
    const rule = widths.map((w, i) => "-".repeat(i === widths.length - 1 ? Math.min(w, Math.max(columns[i]?.header.length ?? 0, 8)) : w));
    return tableLine(columns.map((c) => c.header), columns, widths) + tableLine(rule, columns, widths);
}

/**
 * Widths known before any row (for printing row by row): the header, the column's width hint, or the
 * caller's minimum (e.g. the longest model file name of the sweep), whichever is widest.
 */
export function presetWidths(columns: readonly Column[], minWidths: Readonly<Record<string, number>> = {}): number[] {
    return columns.map((c) => Math.max(c.header.length, c.width ?? 0, minWidths[c.key] ?? 0));
}

export interface TableExporterOptions {
    /** Columns to show; the default view when omitted. */
    columns?: readonly Column[]
}

export function createTableExporter(options: TableExporterOptions = {}): Exporter {
    return {
        format: "table",
        mime: "text/plain",
        extension: "txt",
        serialize: (results) => {
            // the default view, with the depth / KV-type / micro-batch / mmap columns the rows set away from their defaults
            const columns = options.columns ?? sweepViewColumns(axesOfRows(results));
            const cells = results.map((r) => columns.map((c) => tableCellText(c, r)));
            const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
            return tableHeader(columns, widths) + cells.map((row) => tableLine(row, columns, widths)).join("");
        }
    };
}

export const tableExporter: Exporter = createTableExporter();
