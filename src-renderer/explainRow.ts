// A results row's "Status / why" text. The reasoning about the gap to the ceiling lives in the engine only
// (explainGap, stored by the runner as ceiling.explanation, also in the exports); this adds the plain
// status for rows that have no such line.
import type {TestResult} from "../src-main/api/contract.js";

/** e.g. "memory-bound: 82% of the measured-bandwidth ceiling", "failed: bad.gguf: not a GGUF file". */
export function explainRow(row: TestResult): string {
    if (row.status === "error") return `failed: ${row.error ?? "no reason given"}`;
    if (row.status === "cancelled") return "cancelled before it finished";
    // The row's notes say what it could not measure or apply as asked (e.g. node-llama-cpp's n_ubatch = n_batch).
    const notes = row.notes ?? [];
    if (row.ceiling == null) return ["no ceiling: the model or the machine was not known when this row ran", ...notes].join("; ");
    // A row imported from a CSV written before the explanation column existed.
    return [row.ceiling.explanation ?? `${row.ceiling.bound}: no explanation recorded with this row`, ...notes].join("; ");
}
