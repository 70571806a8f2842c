// Measured generation tokens/s against threads (or GPU layers) with each configuration's ceiling as a
// dashed line; hand-drawn SVG to keep the bundle small. The data mapping lives in chartData.ts.
import {useId} from "react";
import type {TestResult} from "../src-main/api/contract.js";
import {chartData} from "./chartData.js";
import {CHART, CeilingSwatch, ChartAxes, MeasuredSwatch, ceilingPoints, chartScales} from "./ChartFrame.js";
import {formatNumber} from "./format.js";

const {width, height, xRange, yRange} = CHART;

export function ResultsChart({rows}: {rows: readonly TestResult[]}) {
    const titleId = useId();
    const descId = useId();
    const data = chartData(rows);
    const {x, y} = chartScales(data.xDomain, data.yDomain);
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
                <ChartAxes xTicks={data.xTicks} yTicks={data.yTicks} x={x} y={y} xLabel={data.xLabel} yLabel={data.yLabel} />
                {empty ? <text x={(xRange[0] + xRange[1]) / 2} y={(yRange[0] + yRange[1]) / 2} textAnchor="middle" className="muted-text">No finished rows yet</text> : null}
                {data.series.map((series, index) => {
                    const tone = `series-${index % 6}`;
                    const ceiling = series.ceiling;
                    return (
                        <g key={series.key} className={tone} data-testid="chart-series">
                            {ceiling.length > 0 ? <polyline points={ceilingPoints(ceiling, x, y)} className="ceiling" data-testid="chart-ceiling" /> : null}
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
                            <MeasuredSwatch />
                            {series.label}
                            {series.ceilingKind == null ? <span className="muted"> (no ceiling: bandwidth unknown)</span> : null}
                        </li>
                    ))}
                    {ceilingKinds.map((kind) => (
                        <li key={kind} className="ceiling-key">
                            <CeilingSwatch />
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
