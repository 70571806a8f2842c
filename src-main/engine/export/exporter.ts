// The one-method interface every export format implements (as hyperfine's exporters do).
import type {TestResult} from "../types.js";

/** The formats a file can be exported in (the API's exportResults formats). */
export const FILE_EXPORT_FORMATS = ["csv", "json", "jsonl", "md"] as const;
/** The file formats plus "table", the aligned console text. */
export const EXPORT_FORMATS = [...FILE_EXPORT_FORMATS, "table"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface Exporter {
    format: ExportFormat,
    /** MIME type for downloads and the save dialog. */
    mime: string,
    /** File name extension, without the dot. */
    extension: string,
    /** The whole document for these results (header included; "" rows-only formats with no rows). */
    serialize(results: readonly TestResult[]): string
}
