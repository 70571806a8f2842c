// Two runs' machines overlaid on one chart: for one matched test, each machine's generation rate over threads
// (solid line and dots) and its bandwidth ceiling (dashed), one colour per machine. Hand-drawn SVG like the
// results chart; the data mapping lives in compareChartData.ts.
import {useId, useState} from "react";
import {scaleLinear} from "./chartData.js";
import {comparableTests, compareChartData, type CompareSide} from "./compareChartData.js";
import {formatNumber} from "./format.js";

const width = 560;
const height = 300;
const margin = {left: 62, right: 16, top: 14, bottom: 42};
const xRange: [number, number] = [margin.left, width - margin.right];
const yRange: [number, number] = [height - margin.bottom, margin.top];

export function CompareChart({sides}: {sides: readonly CompareSide[]}) {
    const titleId = useId();
    const descId = useId();
    const selectId = useId();
    const tests = comparableTests(sides);
    const [chosen, setChosen] = useState<string | null>(null);
    const test = chosen != null && tests.includes(chosen) ? chosen : tests[0] ?? null;
    if (test == null)
        return <p className="muted small" data-testid="compare-chart-empty">Neither run measured a generation rate: nothing to draw.</p>;
    const data = compareChartData(sides, test);
    const x = (value: number) => scaleLinear(value, data.xDomain, xRange);
    const y = (value: number) => scaleLinear(value, data.yDomain, yRange);
    const name = (series: {side: string, machine: string}) => `${series.side}: ${series.machine || "unknown machine"}`;
    const description = data.series.map((series) => `${name(series)}: ` + (series.points.length === 0 ? "not measured"
        : series.points.map((point) => {
            const ceiling = series.ceiling.find((item) => item.x === point.x);
            return `${point.x} thread${point.x === 1 ? "" : "s"} ${formatNumber(point.y)} t/s${ceiling != null ? ` (ceiling ${formatNumber(ceiling.y)})` : ""}`;
        }).join(", "))).join("; ");

    return (
        <figure className="chart compare-chart">
            {tests.length > 1 ? (
                <p className="compare-test">
                    <label htmlFor={selectId}>Test </label>
                    <select id={selectId} value={test} onChange={(event) => setChosen(event.target.value)}>
                        {tests.map((key) => <option key={key} value={key}>{key}</option>)}
                    </select>
                </p>
            ) : <p className="compare-test small">{test}</p>}
            <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} data-testid="compare-chart">
                <title id={titleId}>{`Generation tokens/s against threads on each machine, with each machine's bandwidth ceiling: ${test}`}</title>
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
                <text className="axis-label" x={(xRange[0] + xRange[1]) / 2} y={height - 6} textAnchor="middle">threads</text>
                <text className="axis-label" transform={`translate(12 ${(yRange[0] + yRange[1]) / 2}) rotate(-90)`} textAnchor="middle">generation tokens/s</text>
                {data.series.map((series, index) => {
                    // One ceiling point (one thread count) is drawn across the plot: it is that machine's level.
                    const ceilingPoints = series.ceiling.length === 1
                        ? `${xRange[0]},${y(series.ceiling[0]!.y)} ${xRange[1]},${y(series.ceiling[0]!.y)}`
                        : series.ceiling.map((point) => `${x(point.x)},${y(point.y)}`).join(" ");
                    return (
                        <g key={series.side} className={`series-${index % 6}`} data-testid="compare-series">
                            {series.ceiling.length > 0 ? <polyline points={ceilingPoints} className="ceiling own-ceiling" data-testid="compare-ceiling" /> : null}
                            {series.points.length > 1 ? <polyline points={series.points.map((point) => `${x(point.x)},${y(point.y)}`).join(" ")} className="measured" /> : null}
                            {series.points.map((point) => <circle key={point.rowId} cx={x(point.x)} cy={y(point.y)} r={4} className="point" data-testid="compare-point" />)}
                        </g>
                    );
                })}
            </svg>
            <figcaption>
                <ul className="legend compare-legend plain">
                    {data.series.map((series, index) => (
                        <li key={series.side} className={`series-${index % 6}`}>
                            <span className="legend-machine">{name(series)}</span>
                            <span className="legend-key">
                                <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" className="measured" /><circle cx="14" cy="5" r="3.5" className="point" /></svg>
                                {series.points.length === 0 ? "not run on this machine" : "measured"}
                            </span>
                            <span className="legend-key">
                                <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" className="ceiling own-ceiling" /></svg>
                                {series.ceilingKind == null ? "no ceiling (bandwidth unknown)" : `ceiling (${series.ceilingKind === "measured" ? "measured" : "spec-sheet"} bandwidth)`}
                            </span>
                        </li>
                    ))}
                </ul>
            </figcaption>
        </figure>
    );
}
