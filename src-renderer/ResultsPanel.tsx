// "Results": the run's rows (mean ± sd, TTFT, load, time outside llama.cpp, ceiling, efficiency and why), the chart and
// the reference machines. Planned-but-unfinished tests hold their rows, so streaming does not move the page.
import type {ReferenceMachineRow, TestResult} from "../src-main/api/contract.js";
import {explainRow} from "./explainRow.js";
import {baseName, formatBytes, formatNumber, formatPercent, formatStat} from "./format.js";
import {ReferenceMachines} from "./ReferenceMachines.js";
import {ResultsChart} from "./ResultsChart.js";

export interface ResultsPanelProps {
    rows: readonly TestResult[],
    /** Tests planned but not finished yet (placeholder rows). */
    pending: number,
    /** Which run the rows belong to, in words. */
    caption: string,
    reference: readonly ReferenceMachineRow[] | null,
    referenceError?: string | null
}

// Fixed widths (the last column takes the rest), so rows streaming in never re-flow the table.
const columns: Array<[string, string]> = [
    ["Model", "9rem"], ["Config", "9rem"], ["pp t/s", "7.5rem"], ["Decode t/s", "7.5rem"], ["End-to-end t/s", "7.5rem"], ["TTFT ms", "6.5rem"],
    ["Load ms", "4.5rem"], ["Outside llama.cpp ms/tok", "8rem"], ["Ceiling t/s", "5rem"], ["Efficiency", "5rem"], ["RAM / est.", "9rem"], ["VRAM / est.", "9rem"],
    ["Status / why", "auto"]
];

export function ResultsPanel({rows, pending, caption, reference, referenceError}: ResultsPanelProps) {
    return (
        <section className="panel" aria-labelledby="results-title">
            <h2 id="results-title">Results</h2>
            <p className="muted small">{caption}</p>
            <div className="results-top">
                <ResultsChart rows={rows} />
                <ReferenceMachines rows={reference} error={referenceError} />
            </div>
            <div className="table-scroll">
                <table className="results-table">
                    <colgroup>{columns.map(([name, width]) => <col key={name} style={width === "auto" ? undefined : {width}} />)}</colgroup>
                    <thead>
                        <tr>{columns.map(([name]) => <th key={name} scope="col" className={name === "Model" || name === "Config" || name === "Status / why" ? undefined : "num"}>{name}</th>)}</tr>
                    </thead>
                    <tbody>
                        {rows.length === 0 && pending === 0 ? (
                            <tr><td colSpan={columns.length} className="muted">No results yet: run a benchmark, or pick a run in History.</td></tr>
                        ) : null}
                        {rows.map((row) => <ResultRow key={row.id} row={row} />)}
                        {Array.from({length: pending}, (_, index) => (
                            <tr key={`pending-${index}`} className="pending-row" data-testid="pending-row">
                                <td colSpan={columns.length} className="muted">{index === 0 ? "running…" : "pending"}</td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            </div>
        </section>
    );
}

/** "17/17 (asked max)": the layers llama.cpp really offloaded, of all it counts, beside the request. */
function offloaded(row: TestResult): string | null {
    const load = row.load;
    if (load?.offloadedLayers == null || load.totalLayers == null)
        return null;
    const counted = `${load.offloadedLayers}/${load.totalLayers}`;
    return String(row.config.gpuLayers) === String(load.offloadedLayers) ? counted : `${counted} (asked ${row.config.gpuLayers})`;
}

/** "233 MiB / 230 MiB": measured, then the estimate. */
function measuredBeside(measured: number | undefined, estimate: number | undefined): string {
    if (measured == null && estimate == null)
        return "—";
    return `${measured != null ? formatBytes(measured) : "—"} / ${estimate != null ? formatBytes(estimate) : "—"}`;
}

function ResultRow({row}: {row: TestResult}) {
    const config = row.config;
    const why = explainRow(row);
    const ceiling = row.ceiling?.ceilingTps ?? row.ceiling?.ceilingTpsTheoretical ?? null;
    return (
        <tr className={`result-row status-${row.status}`} data-testid="result-row">
            <td className="cell-clip" title={config.modelPath}>{row.model?.fileName ?? baseName(config.modelPath)}</td>
            <td className="cell-clip" title={`threads ${config.threads}, GPU layers ${config.gpuLayers}, batch ${config.batchSize}, p ${config.nPrompt}, n ${config.nGen}, ` +
                `flash attention ${config.flashAttention ? "on" : "off"}; llama.cpp ${row.env.llamaCppRelease}, ${row.env.binary} binary`}>
                t{config.threads} · gl {offloaded(row) ?? config.gpuLayers} · p{config.nPrompt} · n{config.nGen}{config.flashAttention ? " · fa" : ""}
                {config.nDepth != null && config.nDepth > 0 ? ` · d${config.nDepth}` : ""}{row.engine === "llama-bench" ? " · llama-bench" : ""}
            </td>
            <td className="num">{formatStat(row.stats?.ppTps)}</td>
            <td className="num" title="generated tokens / llama.cpp's own decode time: comparable with llama-bench">{formatStat(row.stats?.tgDecodeTps)}</td>
            <td className="num" title="generated tokens / generation wall time: what an app sees">{formatStat(row.stats?.tgTps)}</td>
            <td className="num">{formatStat(row.stats?.ttftMs)}</td>
            <td className="num">{row.load != null ? formatNumber(row.load.ms) : "—"}</td>
            <td className="num">{formatStat(row.stats?.outsideMsPerToken)}</td>
            <td className="num" title={row.ceiling?.ceilingTps == null && ceiling != null ? "from spec-sheet bandwidth" : undefined}>{ceiling != null ? formatNumber(ceiling) : "—"}</td>
            <td className="num">{formatPercent(row.ceiling?.efficiency)}</td>
            <td className="num" data-testid="ram-cell" title={row.memory?.ramPeakAnonBytes != null
                ? `peak: ${formatBytes(row.memory.ramPeakAnonBytes)} anonymous + ${formatBytes(row.memory.ramPeakFileBytes)} file-backed; ` +
                  `estimate: ${formatBytes(row.memory.ramEstimateAnonBytes)} + ${formatBytes(row.memory.ramEstimateFileBytes)}`
                : row.memory?.note}>{measuredBeside(row.memory?.ramPeakBytes, row.memory?.ramEstimateBytes)}</td>
            <td className="num" data-testid="vram-cell" title={row.env.gpu !== "none" ? row.env.gpu : undefined}>
                {measuredBeside(row.memory?.vramPeakBytes, row.memory?.vramEstimateBytes)}
            </td>
            <td className={row.status === "ok" ? "why" : "why inline-error"} title={why}>
                <div className="why-text"><span className={`status status-${row.status}`}>{row.status}</span> {why}</div>
            </td>
        </tr>
    );
}
