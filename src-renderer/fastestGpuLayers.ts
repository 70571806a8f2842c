// The answer to a GPU layer sweep: which layer count generated fastest, per configuration the chart draws
// ("fastest: 17/17 layers, 123 t/s"). Pure, from the chart's own series, so the sentence and the chart agree.
import type {TestResult} from "../src-main/api/contract.js";
import {chartData} from "./chartData.js";
import {formatNumber} from "./format.js";

export interface FastestGpuLayers {
    /** The series' label when the chart has several, else null. */
    label: string | null,
    /** "17/17" when llama.cpp said what it offloaded, else the count. */
    layers: string,
    tps: number,
    rowId: string,
    /** e.g. "fastest: 17/17 layers, 123 t/s". */
    text: string
}

/** One entry per series of a sweep over at least two GPU layer counts; none when GPU layers do not vary. */
export function fastestGpuLayers(rows: readonly TestResult[]): FastestGpuLayers[] {
    const data = chartData(rows);
    if (data.axis !== "gpuLayers") return [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    const found: FastestGpuLayers[] = [];
    for (const series of data.series) {
        if (series.points.length < 2) continue;
        const best = series.points.reduce((a, b) => (b.y > a.y ? b : a));
        const load = byId.get(best.rowId)?.load;
        const layers = load?.offloadedLayers != null && load.totalLayers != null ? `${load.offloadedLayers}/${load.totalLayers}` : String(best.x);
        const label = data.series.length > 1 ? series.label : null;
        found.push({label, layers, tps: best.y, rowId: best.rowId,
            text: `${label != null ? `${label}: ` : ""}fastest: ${layers} layers, ${formatNumber(best.y)} t/s`});
    }
    return found;
}
