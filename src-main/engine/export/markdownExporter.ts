// A GitHub-flavoured Markdown table of the human-formatted columns (the report view, with the line on the
// gap to the ceiling, unless told).
import type {TestResult} from "../types.js";
import {REPORT_COLUMNS, formatCell, type Column} from "./columns.js";
import type {Exporter} from "./exporter.js";
import {axesOfRows, sweepViewColumns} from "./sweepViewColumns.js";

/** A cell's text made safe inside a table row: "|" escaped, line breaks as <br>. */
export function escapeMarkdownCell(text: string): string {
    return text
        .replace(/\\/g, "\\\\")
        .replace(/\|/g, "\\|")
        .replace(/\r?\n|\r/g, "<br>");
}

function line(cells: readonly string[]): string {
    return `| ${cells.join(" | ")} |\n`;
}

/** The header row and the alignment row. */
export function markdownHeader(columns: readonly Column[] = REPORT_COLUMNS): string {
    return line(columns.map((c) => escapeMarkdownCell(c.header)))
        + line(columns.map((c) => (c.align === "right" ? "---:" : "---")));
}

export function markdownRow(result: TestResult, columns: readonly Column[] = REPORT_COLUMNS): string {
    return line(columns.map((c) => escapeMarkdownCell(formatCell(c, result))));
}

export interface MarkdownExporterOptions {
    /** Columns to show; the report view when omitted. */
    columns?: readonly Column[]
}

export function createMarkdownExporter(options: MarkdownExporterOptions = {}): Exporter {
    return {
        format: "md",
        mime: "text/markdown",
        extension: "md",
        serialize: (results) => {
            // the report view, with the depth / KV-type / micro-batch / mmap columns the rows set away from their defaults
            const columns = options.columns ?? sweepViewColumns(axesOfRows(results), "md");
            return markdownHeader(columns) + results.map((r) => markdownRow(r, columns)).join("");
        }
    };
}

export const markdownExporter: Exporter = createMarkdownExporter();
