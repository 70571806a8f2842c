// "Results": the chart, then the run's rows (mean ± sd, TTFT, load, time outside llama.cpp, ceiling, memory, efficiency), each with
// its full "why" in an expandable row, then the reference machines with this machine ranked among them.
// Planned-but-unfinished tests hold their rows, so streaming does not move the page. Below 900 px the rows
// become cards (styles.css); nothing is cut off at any width.
import {Fragment, useState} from "react";
import type {ReferenceMachineRow, TestResult} from "../src-main/api/contract.js";
import {isBusyRow} from "../src-main/engine/ceiling/busyMachine.js";
import {headlines} from "./AnswerPanel.js";
import {explainRow} from "./explainRow.js";
import {baseName, formatBytes, formatNumber, formatPercent, formatStat} from "./format.js";
import {formatThreadProbe} from "../src-main/engine/bench/formatThreadProbe.js";
import {formatBinary} from "../src-main/engine/llama/formatBinary.js";
import {APP_VIEW, viewHeading} from "../src-main/engine/export/columns.js";
import {ReferenceMachines, type RankedMachine} from "./ReferenceMachines.js";
import {ResultsChart} from "./ResultsChart.js";
import {fastestGpuLayers} from "./fastestGpuLayers.js";
import {TokenLatencyStrip} from "./TokenLatencyStrip.js";

export interface ResultsPanelProps {
    rows: readonly TestResult[],
    /** Tests planned but not finished yet (placeholder rows). */
    pending: number,
    /** Which run the rows belong to, in words. */
    caption: string,
    reference: readonly ReferenceMachineRow[] | null,
    referenceError?: string | null
}

// The cells and their headings come from the engine's column table (APP_VIEW); the widths are the renderer's.
// Minimum widths; every cell wraps, so full names and long figures are never cut. Load time and the time
// outside llama.cpp sit in the expandable why row: at 1400 px, 13 columns left the why text a sliver that
// wrapped a row to ~1,100 px.
const widths = ["9.5rem", "8rem", "6rem", "6rem", "6rem", "5.5rem", "5rem", "5rem", "10rem", "auto"];
const columns = APP_VIEW.map((cell, index) => {
    const {heading, description} = viewHeading(cell);
    return {name: heading, description, width: widths[index] ?? "auto", text: ["model_file", "threads", "status"].includes(cell.keys[0]!)};
});
/** The heading a cell repeats as its label when rows become cards (below 900 px). */
const label = (index: number) => columns[index]!.name;

export function ResultsPanel({rows, pending, caption, reference, referenceError}: ResultsPanelProps) {
    const ranked: RankedMachine[] = headlines(rows).map((line) => ({
        machine: `This machine (${line.row.env.cpu})`,
        model: line.model,
        bandwidthGBs: line.row.ceiling?.cpuBandwidthGBs ?? null,
        // the reference rows' t/s are llama.cpp's own eval (decode) rates, and the efficiency is of the decode rate
        measuredTps: line.decodeTps ?? line.tgTps,
        ceilingTps: line.ceilingTps,
        efficiency: line.efficiency
    }));
    return (
        <section className="panel" aria-labelledby="results-title">
            <h2 id="results-title">Results</h2>
            <p className="muted small">{caption}</p>
            <ResultsChart rows={rows} />
            {fastestGpuLayers(rows).map((fastest) => (
                <p key={fastest.rowId} className="fastest-layers" data-testid="fastest-layers"
                    title="The GPU layer count with the highest generation rate (end to end, as the chart plots it)">{fastest.text}</p>
            ))}
            <div className="table-scroll results-scroll" tabIndex={0} role="region" aria-label="Results table (scrollable)">
                <table className="results-table">
                    <colgroup>{columns.map(({name, width}) => <col key={name} style={width === "auto" ? undefined : {width}} />)}</colgroup>
                    <thead>
                        <tr>{columns.map(({name, description, text}) => <th key={name} scope="col" title={description} className={text ? undefined : "num"}>{name}</th>)}</tr>
                    </thead>
                    <tbody>
                        {rows.length === 0 && pending === 0 ? (
                            <tr className="empty-row"><td colSpan={columns.length} className="muted">No results yet: run a benchmark, or pick a run in History.</td></tr>
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
            <ReferenceMachines rows={reference} error={referenceError} thisMachine={ranked} />
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
    const [open, setOpen] = useState(false);
    const config = row.config;
    const why = explainRow(row);
    const summary = why.split("; ")[0] ?? why;
    const ceiling = row.ceiling?.ceilingTps ?? row.ceiling?.ceilingTpsTheoretical ?? null;
    const busy = row.status === "ok" && isBusyRow(row);
    const whyId = `why-${row.id.replace(/[^\w-]/g, "_")}`;
    return (
        <Fragment>
            <tr className={`result-row status-${row.status}${busy ? " busy" : ""}`} data-testid="result-row">
                <td data-label={label(0)} className="wrap" title={config.modelPath}>{row.model?.fileName ?? baseName(config.modelPath)}</td>
                <td data-label={label(1)} className="wrap" title={`threads ${config.threads}, GPU layers ${config.gpuLayers}, batch ${config.batchSize}, p ${config.nPrompt}, n ${config.nGen}, ` +
                    `flash attention ${config.flashAttention ? "on" : "off"}; llama.cpp ${row.env.llamaCppRelease}, ${formatBinary(row.env.binary)} binary`}>
                    t{config.threads} · gl {offloaded(row) ?? config.gpuLayers} · p{config.nPrompt} · n{config.nGen}{config.flashAttention ? " · fa" : ""}
                    {config.nDepth != null && config.nDepth > 0 ? ` · d${config.nDepth}` : ""}{kvTypes(config) != null ? ` · KV ${kvTypes(config)}` : ""}{row.engine === "llama-bench" ? " · llama-bench" : ""}
                </td>
                <td data-label={label(2)} className="num">{formatStat(row.stats?.ppTps)}</td>
                <td data-label={label(3)} className="num" title="generated tokens / llama.cpp's own decode time: comparable with llama-bench">{formatStat(row.stats?.tgDecodeTps)}</td>
                <td data-label={label(4)} className="num" title="generated tokens / generation wall time: what an app sees">{formatStat(row.stats?.tgTps)}</td>
                <td data-label={label(5)} className="num">{formatStat(row.stats?.ttftMs)}</td>
                <td data-label={label(6)} className="num">{ceiling != null ? formatNumber(ceiling) : "—"}{row.ceiling?.ceilingTps == null && ceiling != null ? <span className="muted small"> (spec sheet)</span> : null}</td>
                <td data-label={label(7)} className="num">{formatPercent(row.ceiling?.efficiency)}</td>
                <td data-label={label(8)} className="num">
                    <span data-testid="ram-cell" title={row.memory?.ramPeakAnonBytes != null
                        ? `RAM peak: ${formatBytes(row.memory.ramPeakAnonBytes)} anonymous + ${formatBytes(row.memory.ramPeakFileBytes)} file-backed; ` +
                          `estimate: ${formatBytes(row.memory.ramEstimateAnonBytes)} + ${formatBytes(row.memory.ramEstimateFileBytes)}`
                        : row.memory?.note}>RAM {measuredBeside(row.memory?.ramPeakBytes, row.memory?.ramEstimateBytes)}</span>
                    {(row.memory?.vramPeakBytes ?? 0) > 0 || (row.memory?.vramEstimateBytes ?? 0) > 0 ? (
                        <><br /><span data-testid="vram-cell" title={row.env.gpu !== "none" ? row.env.gpu : undefined}>
                            VRAM {measuredBeside(row.memory?.vramPeakBytes, row.memory?.vramEstimateBytes)}
                        </span></>
                    ) : null}
                </td>
                <td data-label={label(9)} className={row.status === "ok" ? "why" : "why inline-error"}>
                    <span className={`status status-${row.status}`}>{row.status}</span>
                    {busy ? <>{" "}<span className="badge badge-busy" title="Other processes kept cores busy during a repetition">busy</span></> : null}
                    {" "}<span className="why-summary">{summary}</span>{" "}
                    <button type="button" className="link-button" aria-expanded={open} aria-controls={whyId} onClick={() => setOpen(!open)}>
                        {open ? "Less" : "Why…"}
                    </button>
                </td>
            </tr>
            <tr id={whyId} className="why-row" hidden={!open}>
                <td colSpan={columns.length}>
                    <ul className="why-list">{why.split("; ").map((part, index) => <li key={index}>{part}</li>)}</ul>
                    <TokenLatencyStrip row={row} />
                    <p className="muted small">Load {row.load != null ? `${formatNumber(row.load.ms)} ms` : "—"}; outside llama.cpp {formatStat(row.stats?.outsideMsPerToken)} ms a token
                        {row.threadProbe != null ? `; threads chosen by a probe: ${formatThreadProbe(row.threadProbe)}` : ""}.</p>
                    <p className="muted small">Batch {config.batchSize}{config.ubatchSize != null ? `, micro-batch ${config.ubatchSize}` : ""}, context {config.contextSize ?? "p + n"}, flash attention {config.flashAttention ? "on" : "off"}
                        {config.typeK != null || config.typeV != null ? `, KV cache K ${config.typeK ?? "f16"} V ${config.typeV ?? "f16"}` : ""}{config.useMmap === false ? ", model read into memory (no mmap)" : ""};
                        {" "}llama.cpp {row.env.llamaCppRelease}, {formatBinary(row.env.binary)} binary.</p>
                </td>
            </tr>
        </Fragment>
    );
}

/** "q8_0/q4_0" (K/V) when the KV cache is not llama.cpp's default f16, else null. */
function kvTypes(config: TestResult["config"]): string | null {
    const k = config.typeK ?? "f16";
    const v = config.typeV ?? "f16";
    return k === "f16" && v === "f16" ? null : `${k}/${v}`;
}
