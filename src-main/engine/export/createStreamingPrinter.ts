// Prints results row by row as tests finish (CLI), in any export format. JSON cannot be valid until
// the last row, so it collects and prints the array in footer().
import type {TestResult} from "../types.js";
import {DEFAULT_COLUMNS, REPORT_COLUMNS, type Column} from "./columns.js";
import {csvHeader, csvRows} from "./csvExporter.js";
import type {ExportFormat} from "./exporter.js";
import {jsonExporter} from "./jsonExporter.js";
import {jsonlLine} from "./jsonlExporter.js";
import {markdownHeader, markdownRow} from "./markdownExporter.js";
import {presetWidths, tableCellText, tableHeader, tableLine} from "./tableExporter.js";

export interface StreamingPrinter {
    /** Call once before the first row. */
    header(): void,
    row(result: TestResult): void,
    /** Call once after the last row (even when there were none). */
    footer(): void
}

export interface StreamingPrinterOptions {
    /** Columns for "table" and "md"; when omitted, the default view for "table" and the report view (with the
     *  line on the gap) for "md", as their exporters. CSV always writes every column. */
    columns?: readonly Column[],
    /**
     * "table" only: minimum widths by column key, for values known before the first row, e.g.
     * {model_file: longest model file name in the sweep}. A wider cell shifts the rest of its line.
     */
    minWidths?: Readonly<Record<string, number>>
}

export function createStreamingPrinter(
    format: ExportFormat,
    write: (text: string) => void,
    options: StreamingPrinterOptions = {}
): StreamingPrinter {
    switch (format) {
        case "csv":
            return {
                header: () => write(csvHeader()),
                row: (r) => write(csvRows([r])),
                footer: () => {}
            };
        case "jsonl":
            return {header: () => {}, row: (r) => write(jsonlLine(r)), footer: () => {}};
        case "json": {
            const collected: TestResult[] = [];
            return {
                header: () => {},
                row: (r) => { collected.push(r); },
                footer: () => write(jsonExporter.serialize(collected))
            };
        }
        case "md": {
            const columns = options.columns ?? REPORT_COLUMNS;
            return {
                header: () => write(markdownHeader(columns)),
                row: (r) => write(markdownRow(r, columns)),
                footer: () => {}
            };
        }
        case "table": {
            const columns = options.columns ?? DEFAULT_COLUMNS;
            // Widths must be fixed before the first row is known; a wider cell shifts only its own line.
            const widths = presetWidths(columns, options.minWidths);
            return {
                header: () => write(tableHeader(columns, widths)),
                row: (r) => write(tableLine(columns.map((c) => tableCellText(c, r)), columns, widths)),
                footer: () => {}
            };
        }
        default: {
            const unknown: never = format;
            throw new Error(`Unknown export format "${String(unknown)}"`);
        }
    }
}
