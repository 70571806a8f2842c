// The answer up front: after a run, one line per model in large type ("23.8 tok/s · 53% of a 44.8 tok/s
// ceiling · first token 1.5 s"), the measured rate and the ceiling each in their own colour; before a run,
// what is known instead (the prediction, when given).
import {forwardRef, type ReactNode} from "react";
import type {TestResult} from "../src-main/api/contract.js";
import {isBusyRow} from "../src-main/engine/ceiling/busyMachine.js";
import {baseName, formatNumber, formatPercent} from "./format.js";

export interface AnswerPanelProps {
    /** The rows Results shows (this run, or the one picked in History). */
    rows: readonly TestResult[],
    /** Shown when no row has a generation rate yet (the prediction, or a hint). */
    before?: ReactNode
}

/** One model's headline: its fastest finished row. */
export interface Headline {
    model: string,
    row: TestResult,
    /** End-to-end generation rate: what an app sees. */
    tgTps: number,
    /** llama.cpp's own decode rate (its counters), comparable with llama-bench; the ceiling's efficiency is of it. */
    decodeTps: number | null,
    ceilingTps: number | null,
    /** The ceiling comes from spec-sheet bandwidth (the bandwidth was not measured). */
    specSheet: boolean,
    efficiency: number | null,
    ttftMs: number | null,
    /** Finished rows of this model in the set. */
    tests: number,
    busy: boolean
}

/** Per model (in the order first seen), the row with the highest generation rate. */
export function headlines(rows: readonly TestResult[]): Headline[] {
    const byModel = new Map<string, Headline>();
    for (const row of rows) {
        const tg = row.stats?.tgTps;
        if (row.status !== "ok" || tg == null || tg.n === 0 || !Number.isFinite(tg.mean)) continue;
        // llama.cpp's own llama-bench rows get their own line beside LlamaMeter's
        const model = (row.model?.fileName ?? baseName(row.config.modelPath)) + (row.engine === "llama-bench" ? " (llama-bench)" : "");
        const decode = row.stats?.tgDecodeTps;
        const before = byModel.get(model);
        const tests = (before?.tests ?? 0) + 1;
        if (before != null && before.tgTps >= tg.mean) {
            before.tests = tests;
            continue;
        }
        const measuredCeiling = row.ceiling?.ceilingTps ?? null;
        const ttft = row.stats?.ttftMs;
        byModel.set(model, {
            model, row, tgTps: tg.mean, tests,
            decodeTps: decode != null && decode.n > 0 && Number.isFinite(decode.mean) ? decode.mean : null,
            ceilingTps: measuredCeiling ?? row.ceiling?.ceilingTpsTheoretical ?? null,
            specSheet: measuredCeiling == null && row.ceiling?.ceilingTpsTheoretical != null,
            efficiency: row.ceiling?.efficiency ?? null,
            ttftMs: ttft != null && ttft.n > 0 && Number.isFinite(ttft.mean) ? ttft.mean : null,
            busy: isBusyRow(row)
        });
    }
    return [...byModel.values()];
}

/** 350 -> "350 ms", 1530 -> "1.53 s". */
export function formatLatency(ms: number): string {
    return ms < 1000 ? `${formatNumber(ms)} ms` : `${formatNumber(ms / 1000)} s`;
}

export const AnswerPanel = forwardRef<HTMLElement, AnswerPanelProps>(function AnswerPanel({rows, before}, ref) {
    const lines = headlines(rows);
    return (
        <section className="panel answer" aria-labelledby="answer-title" ref={ref} data-testid="answer">
            <h2 id="answer-title">How fast, and why</h2>
            {lines.length === 0 ? before ?? <p className="muted">No run yet: click “Run benchmark” below to measure this machine.</p> : (
                <ul className="plain headlines">
                    {lines.map((line) => <HeadlineItem key={line.model} line={line} />)}
                </ul>
            )}
        </section>
    );
});

function HeadlineItem({line}: {line: Headline}) {
    const config = line.row.config;
    // The engine's explanation, first clause: the rest is in the results table's "why" row.
    const why = line.row.ceiling?.explanation?.split("; ")[0];
    return (
        <li className="headline" data-testid="headline">
            <p className="headline-model">
                {line.model}{line.row.model?.weightType != null ? <span className="muted"> · {line.row.model.weightType}</span> : null}
                {line.busy ? <span className="badge badge-busy" title="Other processes kept cores busy during a repetition: these figures are unreliable">busy</span> : null}
            </p>
            <p className="headline-figures">
                {line.decodeTps != null && Math.abs(line.decodeTps - line.tgTps) > 0.005 * line.tgTps ? (
                    <>
                        <span className="measured-value" title="llama.cpp's own decode rate: comparable with llama-bench">{formatNumber(line.decodeTps)} tok/s decode</span>
                        {" · "}<span className="measured-value" title="generated tokens / wall time: what an app sees">{formatNumber(line.tgTps)} tok/s end to end</span>
                    </>
                ) : <span className="measured-value">{formatNumber(line.tgTps)} tok/s</span>}
                {line.ceilingTps != null ? (
                    <>
                        {" · "}{line.efficiency != null ? `${formatPercent(line.efficiency)} of a ` : "against a "}
                        <span className="ceiling-value">{formatNumber(line.ceilingTps)} tok/s {line.specSheet ? "spec-sheet ceiling" : "ceiling"}</span>
                    </>
                ) : <span className="muted"> · no ceiling (bandwidth unknown)</span>}
                {line.ttftMs != null ? <>{" · "}first token {formatLatency(line.ttftMs)}</> : null}
            </p>
            <p className="muted small">
                Generation, fastest of {line.tests} test{line.tests === 1 ? "" : "s"}: {config.threads} thread{config.threads === 1 ? "" : "s"}, GPU layers {config.gpuLayers},
                {" "}{config.nPrompt}-token prompt, {config.nGen} generated{why != null && why !== "" ? `. ${why[0]!.toUpperCase()}${why.slice(1)}.` : "."}
            </p>
        </li>
    );
}
