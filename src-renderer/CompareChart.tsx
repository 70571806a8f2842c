// Two runs' machines overlaid on one chart: for one matched test, each machine's generation rate over threads
// (solid line and dots) and its bandwidth ceiling (dashed), one colour per machine. Hand-drawn SVG like the
// results chart; the data mapping lives in compareChartData.ts.
import {useId, useState} from "react";
import {CHART, CeilingSwatch, ChartAxes, MeasuredSwatch, ceilingPoints, chartScales} from "./ChartFrame.js";
import {comparableTests, compareChartData, type CompareSide} from "./compareChartData.js";
import {formatNumber} from "./format.js";

const {width, height} = CHART;

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
    const {x, y} = chartScales(data.xDomain, data.yDomain);
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
                <ChartAxes xTicks={data.xTicks} yTicks={data.yTicks} x={x} y={y} xLabel="threads" yLabel="generation tokens/s" />
                {data.series.map((series, index) => (
                    <g key={series.side} className={`series-${index % 6}`} data-testid="compare-series">
                        {series.ceiling.length > 0 ? <polyline points={ceilingPoints(series.ceiling, x, y)} className="ceiling own-ceiling" data-testid="compare-ceiling" /> : null}
                        {series.points.length > 1 ? <polyline points={series.points.map((point) => `${x(point.x)},${y(point.y)}`).join(" ")} className="measured" /> : null}
                        {series.points.map((point) => <circle key={point.rowId} cx={x(point.x)} cy={y(point.y)} r={4} className="point" data-testid="compare-point" />)}
                    </g>
                ))}
            </svg>
            <figcaption>
                <ul className="legend compare-legend plain">
                    {data.series.map((series, index) => (
                        <li key={series.side} className={`series-${index % 6}`}>
                            <span className="legend-machine">{name(series)}</span>
                            <span className="legend-key">
                                <MeasuredSwatch />
                                {series.points.length === 0 ? "not run on this machine" : "measured"}
                            </span>
                            <span className="legend-key">
                                <CeilingSwatch className="ceiling own-ceiling" />
                                {series.ceilingKind == null ? "no ceiling (bandwidth unknown)" : `ceiling (${series.ceilingKind === "measured" ? "measured" : "spec-sheet"} bandwidth)`}
                            </span>
                        </li>
                    ))}
                </ul>
            </figcaption>
        </figure>
    );
}
