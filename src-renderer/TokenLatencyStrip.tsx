// In a results row's why area: how long each generated token took (a log-scale histogram with p50, p90, p99 and
// the maximum marked), the time to first token over the repetitions, and the energy. Users feel a p99 stall that a
// mean per token hides. Plain SVG; the figures are text beside it, which is what a screen reader reads.
import type {TestResult} from "../src-main/api/contract.js";
import {formatNumber} from "./format.js";
import {latencyHistogram} from "./latencyHistogram.js";

const width = 320;
const height = 48;
const bars = 24;

export function TokenLatencyStrip({row}: {row: TestResult}) {
    const latency = row.tokenLatency;
    const ttft = row.stats?.ttftMs;
    const energy = row.energy;
    if (latency == null && energy == null) return null;
    const histogram = latencyHistogram(row.samples.flatMap((sample) => sample.tokenMs ?? []), bars);
    const tallest = Math.max(1, ...histogram?.bins.map((bin) => bin.count) ?? []);
    const marks = latency == null ? [] : ([["p50", latency.p50], ["p90", latency.p90], ["p99", latency.p99], ["max", latency.max]] as const);
    const xOf = (ms: number) => (histogram?.position(ms) ?? 0.5) * (width - 2) + 1;
    // Labels that would overlap give way, the slow end first kept: max, then p99, p90, p50 (the caption has them all).
    const labelled = new Set<string>();
    let lastX = Number.POSITIVE_INFINITY;
    for (const [label, ms] of [...marks].reverse()) {
        if (lastX - xOf(ms) >= 24) {
            labelled.add(label);
            lastX = xOf(ms);
        }
    }
    return (
        <div className="token-latency" data-testid="token-latency">
            {latency != null ? (
                <figure className="latency-strip">
                    {histogram != null ? (
                        <svg viewBox={`0 0 ${width} ${height}`} aria-hidden="true" data-testid="latency-histogram">
                            {histogram.bins.map((bin, index) => {
                                // a bin with any token stays visible: the one-token stall is the point
                                const barHeight = bin.count === 0 ? 0 : Math.max(2, (bin.count / tallest) * (height - 14));
                                return <rect key={index} className="bin" x={index * width / bars + 0.5} width={width / bars - 1}
                                    y={height - 12 - barHeight} height={barHeight} />;
                            })}
                            {marks.map(([label, ms], index) => {
                                const x = xOf(ms);
                                return (
                                    <g key={label} className={`mark mark-${label}`}>
                                        <line x1={x} x2={x} y1={0} y2={height - 12} />
                                        {labelled.has(label) ? <text x={x} y={height - 2} textAnchor={index === marks.length - 1 ? "end" : index === 0 ? "start" : "middle"}>{label}</text> : null}
                                    </g>
                                );
                            })}
                        </svg>
                    ) : null}
                    <figcaption className="small">
                        Per-token latency over {latency.tokens} generated tokens: p50 {formatNumber(latency.p50)} ms, p90 {formatNumber(latency.p90)} ms,
                        {" "}<strong>p99 {formatNumber(latency.p99)} ms</strong>, max {formatNumber(latency.max)} ms
                        {latency.p50 > 0 ? ` (p99 ${formatNumber(latency.p99 / latency.p50)}× p50)` : ""}
                        {histogram != null ? `; bars: tokens by time, ${formatNumber(histogram.min)} to ${formatNumber(histogram.max)} ms, log scale` : ""}.
                        {ttft != null && ttft.n > 0 ? ` Time to first token: median ${formatNumber(ttft.median)} ms, max ${formatNumber(ttft.max)} ms over ${ttft.n} repetition${ttft.n === 1 ? "" : "s"}.` : ""}
                    </figcaption>
                </figure>
            ) : null}
            {energy != null ? (
                <p className="muted small" data-testid="energy-line">
                    {energy.joules != null
                        ? `Energy ${formatNumber(energy.joules)} J a repetition` +
                          `${energy.tokensPerJoule != null ? `, ${formatNumber(energy.tokensPerJoule)} generated tokens per joule of generation` : ""}` +
                          ` (${energy.source ?? "source not recorded"})${energy.note != null ? `; ${energy.note}` : ""}.`
                        : `${sentence(energy.note ?? "energy not measured")}.`}
                </p>
            ) : null}
        </div>
    );
}

/** The engine's lower-case one-line reason as a sentence of its own. */
function sentence(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
