// "History": past runs grouped by run; pick two to compare side by side; import a CSV from another machine.
import {useId, useRef, useState, type ChangeEvent} from "react";
import type {TestResult} from "../src-main/api/contract.js";
import {CompareChart} from "./CompareChart.js";
import {ceilingOf, compareRuns} from "./compareRuns.js";
import {formatNumber, formatPercent, formatStat} from "./format.js";
import {groupRuns, type RunGroup} from "./groupRuns.js";

export interface HistoryPanelProps {
    history: readonly TestResult[] | null,
    /** Hands the file's text to importCsv; resolves, with the import's one-line summary, when the history has been reloaded. */
    onImport: (text: string) => Promise<string | null | void>,
    /** Shows a run's rows in the Results panel. */
    onShowRun: (runId: string) => void
}

export function HistoryPanel({history, onImport, onShowRun}: HistoryPanelProps) {
    const [picked, setPicked] = useState<string[]>([]);
    const [importing, setImporting] = useState(false);
    const [imported, setImported] = useState<string | null>(null);
    const fileRef = useRef<HTMLInputElement>(null);
    const importId = useId();
    const runs = history != null ? groupRuns(history) : [];

    function toggle(runId: string, on: boolean) {
        // At most two: picking a third drops the earliest pick.
        setPicked((before) => on ? [...before.filter((id) => id !== runId), runId].slice(-2) : before.filter((id) => id !== runId));
    }

    async function importFile(event: ChangeEvent<HTMLInputElement>) {
        const file = event.target.files?.[0];
        if (file == null) return;
        setImporting(true);
        try {
            setImported(null);
            setImported(await onImport(await file.text()) ?? null);
        } finally {
            setImporting(false);
            if (fileRef.current != null) fileRef.current.value = "";
        }
    }

    const pickedRuns = picked.map((runId) => runs.find((run) => run.runId === runId)).filter((run): run is RunGroup => run != null);
    return (
        <section className="panel" aria-labelledby="history-title">
            <div className="panel-head">
                <h2 id="history-title">History</h2>
                <span className="file-button">
                    <input ref={fileRef} id={importId} type="file" accept=".csv,text/csv,.json,application/json,.jsonl" onChange={importFile} disabled={importing} className="visually-hidden" />
                    <label htmlFor={importId} className="button secondary" aria-disabled={importing}>{importing ? "Importing…" : "Import CSV…"}</label>
                </span>
            </div>
            {imported != null ? <p className="muted small" role="status" data-testid="import-summary">Import: {imported}.</p> : null}
            {history == null ? <p className="muted">Loading…</p> : runs.length === 0 ? <p className="muted">No runs yet.</p> : (
                <div className="table-scroll history-scroll">
                    <table className="compact history-table">
                        <colgroup><col style={{width: "5rem"}} /><col style={{width: "11rem"}} /><col /><col /><col style={{width: "9rem"}} /><col style={{width: "4.5rem"}} /></colgroup>
                        <thead>
                            <tr><th scope="col">Compare</th><th scope="col">Started</th><th scope="col">Machine</th><th scope="col">Models</th><th scope="col" className="num">Rows</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
                        </thead>
                        <tbody>
                            {runs.map((run) => (
                                <tr key={run.runId} data-testid="history-run">
                                    <td><input type="checkbox" checked={picked.includes(run.runId)} onChange={(event) => toggle(run.runId, event.target.checked)} aria-label={`Compare run started ${formatWhen(run.startedAt)}`} /></td>
                                    <td>{formatWhen(run.startedAt)}</td>
                                    <td className="cell-clip" title={run.machine}>{run.machine || "unknown"}</td>
                                    <td className="cell-clip" title={run.models.join(", ")}>{run.models.join(", ")}</td>
                                    <td className="num">{run.okRows} ok{run.failedRows > 0 ? `, ${run.failedRows} failed` : ""}{run.cancelledRows > 0 ? `, ${run.cancelledRows} cancelled` : ""}</td>
                                    <td><button type="button" className="secondary small-button" onClick={() => onShowRun(run.runId)}>Show</button></td>
                                </tr>
                            ))}
                        </tbody>
                    </table>
                </div>
            )}
            {pickedRuns.length === 2 && pickedRuns[0] != null && pickedRuns[1] != null
                ? <Comparison a={pickedRuns[0]} b={pickedRuns[1]} />
                : runs.length > 1 ? <p className="muted small">Tick two runs to compare them side by side.</p> : null}
        </section>
    );
}

function Comparison({a, b}: {a: RunGroup, b: RunGroup}) {
    const lines = compareRuns(a.rows, b.rows);
    const ratio = (value: number | null) => value != null ? `${value.toFixed(2)}×` : "—";
    return (
        <div className="compare">
            <CompareChart sides={[{side: "A", machine: a.machine, rows: a.rows}, {side: "B", machine: b.machine, rows: b.rows}]} />
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Run comparison (scrollable)">
                <table className="compact comparison" aria-label="Run comparison">
                    <caption>A: {formatWhen(a.startedAt)} on {a.machine || "unknown"} · B: {formatWhen(b.startedAt)} on {b.machine || "unknown"}. Matched by model and test; each side its fastest row.</caption>
                    <thead>
                        <tr><th scope="col">Test</th><th scope="col" className="num">A tg t/s</th><th scope="col" className="num">B tg t/s</th>
                            <th scope="col" className="num">A GB/s</th><th scope="col" className="num">B GB/s</th>
                            <th scope="col" className="num">A ceiling</th><th scope="col" className="num">B ceiling</th>
                            <th scope="col" className="num">A eff.</th><th scope="col" className="num">B eff.</th>
                            <th scope="col" className="num">B / A ceiling</th><th scope="col" className="num">B / A tg</th></tr>
                    </thead>
                    <tbody>
                        {lines.map((line) => (
                            <tr key={line.config}>
                                <td>{line.config}</td>
                                <td className="num">{cell(line.a)}</td>
                                <td className="num">{cell(line.b)}</td>
                                <td className="num">{bandwidth(line.a)}</td>
                                <td className="num">{bandwidth(line.b)}</td>
                                <td className="num">{ceilingOf(line.a) != null ? formatNumber(ceilingOf(line.a)) : "—"}</td>
                                <td className="num">{ceilingOf(line.b) != null ? formatNumber(ceilingOf(line.b)) : "—"}</td>
                                <td className="num">{formatPercent(line.a?.ceiling?.efficiency)}</td>
                                <td className="num">{formatPercent(line.b?.ceiling?.efficiency)}</td>
                                <td className="num">{ratio(line.ceilingRatio)}</td>
                                <td className="num">{ratio(line.tgRatio)}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            </div>
        </div>
    );
}

/** The fastest row's generation rate, with the threads it ran on (the sides may differ). */
function cell(row: TestResult | null): string {
    if (row == null) return "—";
    if (row.status !== "ok") return row.status;
    return `${formatStat(row.stats?.tgTps)} (t${row.config.threads})`;
}

function bandwidth(row: TestResult | null): string {
    const value = row?.ceiling?.cpuBandwidthGBs;
    return value != null ? formatNumber(value) : "—";
}

function formatWhen(timestamp: string): string {
    const date = new Date(timestamp);
    return Number.isNaN(date.getTime()) ? timestamp : date.toLocaleString(undefined, {dateStyle: "short", timeStyle: "short"});
}
