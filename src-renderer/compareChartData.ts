// The comparison chart's data: for one test matched across two runs (compareRuns' key: model and test shape),
// each run's generation rate over threads and its bandwidth ceiling there, one series per run (machine). Pure,
// so what the chart shows is unit-tested without a DOM.
import type {TestResult} from "../src-main/api/contract.js";
import {niceTicks} from "./chartData.js";
import {ceilingOf, configKey} from "./compareRuns.js";

export interface CompareSide {
    /** "A" or "B", as in the comparison table. */
    side: string,
    machine: string,
    rows: readonly TestResult[]
}

export interface CompareSeries {
    side: string,
    machine: string,
    /** Mean generation tokens/s at each thread count: the fastest row there, as the table picks per side. */
    points: Array<{x: number, y: number, rowId: string}>,
    /** The ceiling of the row drawn at each thread count, where it has one. */
    ceiling: Array<{x: number, y: number}>,
    ceilingKind: "measured" | "theoretical" | null
}

export interface CompareChartData {
    series: CompareSeries[],
    xDomain: [number, number],
    xTicks: number[],
    yDomain: [number, number],
    yTicks: number[]
}

const tgOf = (row: TestResult) => row.status === "ok" && row.stats != null && row.stats.tgTps.n > 0 && Number.isFinite(row.stats.tgTps.mean)
    ? row.stats.tgTps.mean : null;

/** The tests (configKey) either side measured a generation rate for, those both measured first. */
export function comparableTests(sides: readonly CompareSide[]): string[] {
    const count = new Map<string, number>();
    for (const side of sides) {
        const keys = new Set(side.rows.filter((row) => tgOf(row) != null).map(configKey));
        for (const key of keys) count.set(key, (count.get(key) ?? 0) + 1);
    }
    // stable: insertion order within each group
    return [...count].sort((a, b) => b[1] - a[1]).map(([key]) => key);
}

export function compareChartData(sides: readonly CompareSide[], test: string): CompareChartData {
    const series = sides.map(({side, machine, rows}): CompareSeries => {
        const best = new Map<number, TestResult>();
        for (const row of rows) {
            const tg = tgOf(row);
            if (tg == null || configKey(row) !== test) continue;
            const before = best.get(row.config.threads);
            if (before == null || tg > tgOf(before)!) best.set(row.config.threads, row);
        }
        const drawn = [...best].sort((a, b) => a[0] - b[0]);
        const ceiling = drawn.flatMap(([x, row]) => {
            const y = ceilingOf(row);
            return y != null && Number.isFinite(y) ? [{x, y}] : [];
        });
        const kindRow = drawn.find(([, row]) => ceilingOf(row) != null)?.[1];
        return {
            side, machine,
            points: drawn.map(([x, row]) => ({x, y: tgOf(row)!, rowId: row.id})),
            ceiling,
            ceilingKind: kindRow == null ? null : kindRow.ceiling?.ceilingTps != null ? "measured" : "theoretical"
        };
    });
    const xs = [...new Set(series.flatMap((item) => item.points.map((point) => point.x)))].sort((a, b) => a - b);
    const xMin = xs[0] ?? 0;
    const xMax = xs[xs.length - 1] ?? 1;
    const xDomain: [number, number] = xMin === xMax ? [Math.max(0, xMin - 1), xMax + 1] : [xMin, xMax];
    const yTicks = niceTicks(Math.max(0, ...series.flatMap((item) => [...item.points, ...item.ceiling].map((point) => point.y))), 5);
    return {
        series,
        xDomain,
        xTicks: xs.length <= 12 ? xs : niceTicks(xDomain[1], 6),
        yDomain: [0, yTicks[yTicks.length - 1] ?? 1],
        yTicks
    };
}
