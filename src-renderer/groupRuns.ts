// History rows -> runs (one per sweep), newest first, for the History panel.
import type {TestResult} from "../src-main/api/contract.js";
import {baseName} from "./format.js";

export interface RunGroup {
    /** The run's id; rows without one (older files, imports) are grouped by machine and day. */
    runId: string,
    startedAt: string,
    machine: string,
    models: string[],
    rows: TestResult[],
    okRows: number,
    failedRows: number,
    cancelledRows: number
}

export function groupRuns(history: readonly TestResult[]): RunGroup[] {
    const groups = new Map<string, RunGroup>();
    for (const row of history) {
        const runId = row.runId ?? `${row.env.cpu || "unknown machine"} · ${row.timestamp.slice(0, 10)}`;
        let group = groups.get(runId);
        if (group == null) {
            group = {runId, startedAt: row.timestamp, machine: row.env.cpu, models: [], rows: [], okRows: 0, failedRows: 0, cancelledRows: 0};
            groups.set(runId, group);
        }
        group.rows.push(row);
        if (row.timestamp < group.startedAt) group.startedAt = row.timestamp;
        const model = row.model?.fileName ?? baseName(row.config.modelPath);
        if (!group.models.includes(model)) group.models.push(model);
        if (row.status === "ok") group.okRows++;
        else if (row.status === "error") group.failedRows++;
        else group.cancelledRows++;
    }
    return [...groups.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
