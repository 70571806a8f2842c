// What the results chart and the comparison chart share: their geometry, the axes with ticks and labels, the rule
// that draws a ceiling, and the legend swatches. Hand-drawn SVG, to keep the bundle small.
import {formatNumber} from "./format.js";
import {scaleLinear} from "./chartData.js";

export const CHART = (() => {
    const width = 560;
    const height = 300;
    const margin = {left: 62, right: 16, top: 14, bottom: 42};
    return {width, height, xRange: [margin.left, width - margin.right] as const, yRange: [height - margin.bottom, margin.top] as const};
})();

/** Pixel positions of data values on the chart's axes. */
export function chartScales(xDomain: readonly [number, number], yDomain: readonly [number, number]) {
    return {
        x: (value: number) => scaleLinear(value, xDomain, CHART.xRange),
        y: (value: number) => scaleLinear(value, yDomain, CHART.yRange)
    };
}

export function ChartAxes({xTicks, yTicks, x, y, xLabel, yLabel}: {
    xTicks: readonly number[], yTicks: readonly number[], x: (value: number) => number, y: (value: number) => number, xLabel: string, yLabel: string
}) {
    const {xRange, yRange, height} = CHART;
    return (
        <>
            {yTicks.map((tick) => (
                <g key={`y${tick}`} className="tick">
                    <line x1={xRange[0]} x2={xRange[1]} y1={y(tick)} y2={y(tick)} className="grid" />
                    <text x={xRange[0] - 6} y={y(tick)} dy="0.32em" textAnchor="end">{formatNumber(tick)}</text>
                </g>
            ))}
            {xTicks.map((tick) => (
                <g key={`x${tick}`} className="tick">
                    <line x1={x(tick)} x2={x(tick)} y1={yRange[0]} y2={yRange[0] + 5} className="axis" />
                    <text x={x(tick)} y={yRange[0] + 18} textAnchor="middle">{tick}</text>
                </g>
            ))}
            <line x1={xRange[0]} x2={xRange[1]} y1={yRange[0]} y2={yRange[0]} className="axis" />
            <line x1={xRange[0]} x2={xRange[0]} y1={yRange[0]} y2={yRange[1]} className="axis" />
            <text className="axis-label" x={(xRange[0] + xRange[1]) / 2} y={height - 6} textAnchor="middle">{xLabel}</text>
            <text className="axis-label" transform={`translate(12 ${(yRange[0] + yRange[1]) / 2}) rotate(-90)`} textAnchor="middle">{yLabel}</text>
        </>
    );
}

/** A ceiling's polyline points: one point (one x) is drawn across the whole plot, as the level for that series. */
export function ceilingPoints(ceiling: ReadonlyArray<{x: number, y: number}>, x: (value: number) => number, y: (value: number) => number): string {
    const [only] = ceiling;
    return ceiling.length === 1 && only != null
        ? `${CHART.xRange[0]},${y(only.y)} ${CHART.xRange[1]},${y(only.y)}`
        : ceiling.map((point) => `${x(point.x)},${y(point.y)}`).join(" ");
}

/** The legend's key for a measured series: a line through a dot. */
export function MeasuredSwatch() {
    return <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" className="measured" /><circle cx="14" cy="5" r="3.5" className="point" /></svg>;
}

/** The legend's key for a ceiling: the dashed line (its class says which). */
export function CeilingSwatch({className = "ceiling"}: {className?: string}) {
    return <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" className={className} /></svg>;
}
