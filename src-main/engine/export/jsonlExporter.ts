// JSON lines: one full TestResult per line, the results file's own format.
import type {TestResult} from "../types.js";
import type {Exporter} from "./exporter.js";

/** One result as one line, newline-terminated (JSON.stringify never emits a raw newline). */
export function jsonlLine(result: TestResult): string {
    return JSON.stringify(result) + "\n";
}

export const jsonlExporter: Exporter = {
    format: "jsonl",
    mime: "application/jsonl",
    extension: "jsonl",
    serialize: (results) => results.map(jsonlLine).join("")
};
