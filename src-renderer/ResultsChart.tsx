// Measured generation tokens/s against threads (or GPU layers) with each configuration's ceiling as a
// dashed line; hand-drawn SVG to keep the bundle small. The data mapping lives in chartData.ts.
import {useId} from "react";
import type {TestResult} from "../src-main/api/contract.js";
import {chartData, scaleLinear} from "./chartData.js";
import {formatNumber} from "./format.js";

const width = 560;
const height = 300;
const margin = {left: 62, right: 16, top: 14, bottom: 42};
const xRange: [number, number] = [margin.left, width - margin.right];
const yRange: [number, number] = [height - margin.bottom, margin.top];

export function ResultsChart({rows}: {rows: readonly TestResult[]}) {
    const titleId = useId();
    const descId = useId();
    const data = chartData(rows);
    const x = (value: number) => scaleLinear(value, data.xDomain, xRange);
    const y = (value: number) => scaleLinear(value, data.yDomain, yRange);
    const empty = data.series.length === 0;
    // One legend entry per kind of ceiling, not per series: the dashed lines share a meaning.
    const ceilingKinds = [...new Set(data.series.map((series) => series.ceilingKind).filter((kind) => kind != null))];
    // The CPU ceiling uses the bandwidth measured at the row's thread count, so it moves with threads: say so.
    const bandwidthByThreads = new Map<number, number>();
    for (const row of rows) {
        const bandwidth = row.ceiling?.cpuBandwidthGBs;
        if (row.status === "ok" && bandwidth != null && row.ceiling?.ceilingTps != null) bandwidthByThreads.set(row.config.threads, bandwidth);
    }
    // The GPU's bandwidth the split ceiling uses, when the rows agree on one.
    const gpuBandwidths = new Set(rows.map((row) => row.ceiling?.gpuBandwidthGBs).filter((value) => value != null));
    const gpuBandwidth = gpuBandwidths.size === 1 ? [...gpuBandwidths][0]! : null;
    const bandwidthNote = new Set(bandwidthByThreads.values()).size > 1
        ? "The ceiling moves with threads: it uses the read bandwidth measured with that many threads (" +
            [...bandwidthByThreads].sort((a, b) => a[0] - b[0]).map(([threads, bandwidth]) => `${threads} thread${threads === 1 ? "" : "s"}: ${formatNumber(bandwidth)} GB/s`).join(", ") + ")."
        : null;
    const description = empty ? "No finished rows to draw yet."
        : data.series.map((series) => `${series.label}: ` + series.points.map((point) => {
            const ceiling = series.ceiling.find((item) => item.x === point.x);
            return `${data.xLabel} ${point.x}: ${formatNumber(point.y)} t/s${ceiling != null ? ` (ceiling ${formatNumber(ceiling.y)})` : ""}`;
        }).join(", ")).join("; ");

    return (
        <figure className="chart">
            <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} data-testid="results-chart">
                <title id={titleId}>{`Generation tokens/s against ${data.xLabel}, with the bandwidth ceiling`}</title>
                <desc id={descId}>{description}</desc>
                {data.yTicks.map((tick) => (
                    <g key={`y${tick}`} className="tick">
                        <line x1={xRange[0]} x2={xRange[1]} y1={y(tick)} y2={y(tick)} className="grid" />
                        <text x={xRange[0] - 6} y={y(tick)} dy="0.32em" textAnchor="end">{formatNumber(tick)}</text>
                    </g>
                ))}
                {data.xTicks.map((tick) => (
                    <g key={`x${tick}`} className="tick">
                        <line x1={x(tick)} x2={x(tick)} y1={yRange[0]} y2={yRange[0] + 5} className="axis" />
                        <text x={x(tick)} y={yRange[0] + 18} textAnchor="middle">{tick}</text>
                    </g>
                ))}
                <line x1={xRange[0]} x2={xRange[1]} y1={yRange[0]} y2={yRange[0]} className="axis" />
                <line x1={xRange[0]} x2={xRange[0]} y1={yRange[0]} y2={yRange[1]} className="axis" />
                <text className="axis-label" x={(xRange[0] + xRange[1]) / 2} y={height - 6} textAnchor="middle">{data.xLabel}</text>
                <text className="axis-label" transform={`translate(12 ${(yRange[0] + yRange[1]) / 2}) rotate(-90)`} textAnchor="middle">{data.yLabel}</text>
                {empty ? <text x={(xRange[0] + xRange[1]) / 2} y={(yRange[0] + yRange[1]) / 2} textAnchor="middle" className="muted-text">No finished rows yet</text> : null}
                {data.series.map((series, index) => {
                    const tone = `series-${index % 6}`;
                    const ceiling = series.ceiling;
                    // One ceiling point (one x) is drawn across the whole plot: it is the level for that config.
                    const ceilingPoints = ceiling.length === 1 && ceiling[0] != null
                        ? `${xRange[0]},${y(ceiling[0].y)} ${xRange[1]},${y(ceiling[0].y)}`
                        : ceiling.map((point) => `${x(point.x)},${y(point.y)}`).join(" ");
                    return (
                        <g key={series.key} className={tone} data-testid="chart-series">
                            {ceiling.length > 0 ? <polyline points={ceilingPoints} className="ceiling" data-testid="chart-ceiling" /> : null}
                            {series.points.length > 1 ? <polyline points={series.points.map((point) => `${x(point.x)},${y(point.y)}`).join(" ")} className="measured" /> : null}
                            {series.points.map((point) => (
                                <g key={point.rowId}>
                                    {point.sd > 0 ? <line x1={x(point.x)} x2={x(point.x)} y1={y(Math.max(0, point.y - point.sd))} y2={y(point.y + point.sd)} className="error-bar" /> : null}
                                    <circle cx={x(point.x)} cy={y(point.y)} r={4} className="point" data-testid="chart-point" />
                                </g>
                            ))}
                        </g>
                    );
                })}
            </svg>
            <figcaption>
                <ul className="legend plain">
                    {data.series.map((series, index) => (
                        <li key={series.key} className={`series-${index % 6}`}>
                            <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" className="measured" /><circle cx="14" cy="5" r="3.5" className="point" /></svg>
                            {series.label}
                            {series.ceilingKind == null ? <span className="muted"> (no ceiling: bandwidth unknown)</span> : null}
                        </li>
                    ))}
                    {ceilingKinds.map((kind) => (
                        <li key={kind} className="ceiling-key">
                            <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" className="ceiling" /></svg>
                            {kind === "measured" ? "ceiling (measured bandwidth)" : kind === "split"
                                ? `split ceiling at each layer count (CPU layers at the measured RAM bandwidth, GPU layers at ${gpuBandwidth != null ? `${formatNumber(gpuBandwidth)} GB/s` : "the GPU's bandwidth"})`
                                : "ceiling (spec-sheet bandwidth)"}
                        </li>
                    ))}
                    {data.skipped > 0 ? <li className="muted">{data.skipped} row{data.skipped === 1 ? "" : "s"} not drawn (failed, cancelled or no generation measured)</li> : null}
                </ul>
                {bandwidthNote != null ? <p className="muted small" data-testid="ceiling-note">{bandwidthNote}</p> : null}
            </figcaption>
        </figure>
    );
}
