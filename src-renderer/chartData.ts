// The results chart's data mapping: finished rows -> series of (x, measured tg tokens/s) with the
// ceiling beside each point. Pure, so what the chart shows is unit-tested without a DOM.
import type {TestResult} from "../src-main/api/contract.js";
import {baseName} from "./format.js";
import {splitCeilingCurve} from "../src-main/engine/ceiling/splitCeilingCurve.js";

export type ChartAxis = "threads" | "gpuLayers";

export interface ChartPoint {
    x: number,
    /** Mean generation tokens/s. */
    y: number,
    sd: number,
    rowId: string
}

export interface ChartSeries {
    key: string,
    /** What distinguishes this series from the others (the model name when nothing else does). */
    label: string,
    points: ChartPoint[],
    /** The bandwidth ceiling at each x where the row has one; against GPU layers, the split ceiling at every layer count. */
    ceiling: Array<{x: number, y: number}>,
    /** "measured" when the ceiling comes from measured bandwidth, "theoretical" from spec sheets, "split" for the
     *  split-ceiling curve (the CPU share at the measured RAM bandwidth, the GPU share at the GPU's). */
    ceilingKind: "measured" | "theoretical" | "split" | null
}

export interface ChartData {
    axis: ChartAxis,
    xLabel: string,
    yLabel: string,
    series: ChartSeries[],
    xDomain: [number, number],
    xTicks: number[],
    yDomain: [number, number],
    yTicks: number[],
    /** Rows not drawn: failed, cancelled or without generation measurements. */
    skipped: number
}

interface Row {
    row: TestResult,
    gpuLayers: number | null,
    mean: number,
    sd: number
}

/** Maps finished rows to the chart: x is GPU layers when they vary across rows, else threads. */
export function chartData(rows: readonly TestResult[]): ChartData {
    const usable: Row[] = [];
    for (const row of rows) {
        const tg = row.stats?.tgTps;
        if (row.status !== "ok" || tg == null || tg.n === 0 || !Number.isFinite(tg.mean)) continue;
        usable.push({row, gpuLayers: resolvedGpuLayers(row), mean: tg.mean, sd: Number.isFinite(tg.sd) ? tg.sd : 0});
    }
    const distinctGpuLayers = new Set(usable.map((item) => item.gpuLayers).filter((value) => value != null));
    const axis: ChartAxis = distinctGpuLayers.size > 1 ? "gpuLayers" : "threads";
    const xOf = (item: Row) => axis === "gpuLayers" ? item.gpuLayers : item.row.config.threads;

    const describe = (item: Row): Record<string, string> => {
        const config = item.row.config;
        const parts: Record<string, string> = {
            model: item.row.model?.fileName ?? baseName(config.modelPath),
            batch: `batch ${config.batchSize}`,
            p: `p ${config.nPrompt}`,
            n: `n ${config.nGen}`,
            fa: `flash attention ${config.flashAttention ? "on" : "off"}`
        };
        if (axis === "gpuLayers") parts.threads = `${config.threads} threads`;
        else parts.gpuLayers = `${item.gpuLayers ?? String(config.gpuLayers)} GPU layers`;
        return parts;
    };
    const descriptions = usable.map(describe);
    const partNames = Object.keys(descriptions[0] ?? {});
    const varying = partNames.filter((name) => new Set(descriptions.map((parts) => parts[name])).size > 1);

    const byKey = new Map<string, ChartSeries>();
    const rowsOf = new Map<string, Row[]>();
    usable.forEach((item, index) => {
        const x = xOf(item);
        if (x == null) return;
        const parts = descriptions[index] ?? {};
        const key = partNames.map((name) => parts[name]).join(" | ");
        let series = byKey.get(key);
        if (series == null) {
            const shown = varying.length > 0 ? varying.map((name) => parts[name]) : [parts.model];
            series = {key, label: shown.join(" · "), points: [], ceiling: [], ceilingKind: null};
            byKey.set(key, series);
            rowsOf.set(key, []);
        }
        rowsOf.get(key)?.push(item);
        // A later row at the same x (a re-run) replaces the earlier one: the chart shows one value per x.
        series.points = series.points.filter((point) => point.x !== x);
        series.points.push({x, y: item.mean, sd: item.sd, rowId: item.row.id});
        const ceiling = item.row.ceiling;
        const ceilingY = ceiling?.ceilingTps ?? ceiling?.ceilingTpsTheoretical ?? null;
        series.ceiling = series.ceiling.filter((point) => point.x !== x);
        if (ceilingY != null && Number.isFinite(ceilingY)) {
            series.ceiling.push({x, y: ceilingY});
            series.ceilingKind ??= ceiling?.ceilingTps != null ? "measured" : "theoretical";
        }
    });
    const series = [...byKey.values()];
    for (const item of series) {
        item.points.sort((a, b) => a.x - b.x);
        item.ceiling.sort((a, b) => a.x - b.x);
        if (axis === "gpuLayers") splitCurve(item, rowsOf.get(item.key) ?? []);
    }

    const xs = series.flatMap((item) => item.points.map((point) => point.x));
    const xMin = xs.length > 0 ? Math.min(...xs) : 0;
    const xMax = xs.length > 0 ? Math.max(...xs) : 1;
    const xDomain: [number, number] = xMin === xMax ? [Math.max(0, xMin - 1), xMax + 1] : [xMin, xMax];
    const distinctXs = [...new Set(xs)].sort((a, b) => a - b);
    // An empty chart has no x ticks: fractional threads would read as nonsense.
    const xTicks = distinctXs.length === 0 ? [] : distinctXs.length <= 12 ? distinctXs : niceTicks(xDomain[1], 6);

    const ys = series.flatMap((item) => [
        ...item.points.map((point) => point.y + point.sd),
        ...item.ceiling.map((point) => point.y)
    ]);
    const yTicks = niceTicks(Math.max(0, ...ys), 5);
    return {
        axis,
        xLabel: axis === "gpuLayers" ? "GPU layers" : "threads",
        yLabel: "generation tokens/s",
        series,
        xDomain,
        xTicks,
        yDomain: [0, yTicks[yTicks.length - 1] ?? 1],
        yTicks,
        skipped: rows.length - series.reduce((sum, item) => sum + item.points.length, 0)
    };
}

/** Against GPU layers, the series' ceiling becomes the split-ceiling curve at every layer count between its first and
 *  last point, from a row with layers on the GPU (it carries the GPU's bandwidth); it passes through each row's own
 *  ceiling. Rows without the figures (imported, no GPU bandwidth) keep their per-row ceilings. */
function splitCurve(series: ChartSeries, rows: readonly Row[]): void {
    const first = series.points[0]?.x;
    const last = series.points[series.points.length - 1]?.x;
    const source = rows.find((item) => (item.gpuLayers ?? 0) > 0 && item.row.ceiling?.ceilingTps != null && item.row.ceiling.gpuBandwidthGBs != null);
    const nLayer = source?.row.model?.nLayer;
    if (source?.row.ceiling == null || nLayer == null || first == null || last == null || last <= first) return;
    const counts = Array.from({length: last - first + 1}, (_, index) => first + index);
    const curve = splitCeilingCurve(source.row.ceiling, nLayer, counts);
    if (curve.length < 2) return;
    series.ceiling = curve.map((point) => ({x: point.layers, y: point.tps}));
    series.ceilingKind = "split";
}

/** Layers really offloaded when the load reported them, else the configured number ("max" unresolved = null). */
function resolvedGpuLayers(row: TestResult): number | null {
    if (row.load?.gpuLayers != null) return row.load.gpuLayers;
    return typeof row.config.gpuLayers === "number" ? row.config.gpuLayers : null;
}

/** Ticks from 0 to at least `max` on a 1-2-2.5-5 step, e.g. niceTicks(17, 5) -> [0, 5, 10, 15, 20]. */
export function niceTicks(max: number, count: number): number[] {
    if (!(max > 0)) return [0, 1];
    const rough = max / count;
    const power = 10 ** Math.floor(Math.log10(rough));
    const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
    const ticks: number[] = [];
    for (let i = 0; ; i++) {
        // Rounded so 0.1-style steps do not print as 0.30000000000000004.
        const tick = Number((i * step).toPrecision(12));
        ticks.push(tick);
        if (tick >= max) break;
    }
    return ticks;
}

/** Linear map of a value from a domain to a range (pixels). */
export function scaleLinear(value: number, domain: readonly [number, number], range: readonly [number, number]): number {
    const span = domain[1] - domain[0];
    const t = span === 0 ? 0.5 : (value - domain[0]) / span;
    return range[0] + t * (range[1] - range[0]);
}
