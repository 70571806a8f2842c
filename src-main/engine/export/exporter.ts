// The one-method interface every export format implements (as hyperfine's exporters do).
import type {TestResult} from "../types.js";

/** File formats (the API's exportResults formats) plus "table", the aligned console text. */
export type ExportFormat = "csv" | "json" | "jsonl" | "md" | "table";

export interface Exporter {
    format: ExportFormat,
    /** MIME type for downloads and the save dialog. */
    mime: string,
    /** File name extension, without the dot. */
    extension: string,
    /** The whole document for these results (header included; "" rows-only formats with no rows). */
    serialize(results: readonly TestResult[]): string
}
