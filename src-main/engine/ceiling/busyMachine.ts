// Whether other processes disturbed a row: the threshold and the busiest repetition's load, in one place
// for the explanation line (explainGap) and the UI's "busy" badge. Plain data in, so the renderer can use it.
import type {BandwidthMeasurement, RepSample, TestResult} from "../types.js";

/** Other processes keeping this many cores busy make a row's figures unreliable (threads get descheduled). */
export const BUSY_MACHINE_CORES = 0.25;

/** The busiest repetition's background load, and the host's share of it. */
export function busiestBackground(result: Pick<TestResult, "samples">): {backgroundCores: number | null, stealCores: number | null} {
    let busiest: RepSample | null = null;
    for (const sample of result.samples)
        if (sample.backgroundCores != null && Number.isFinite(sample.backgroundCores)
            && (busiest == null || sample.backgroundCores > busiest.backgroundCores!))
            busiest = sample;
    const steal = busiest?.stealCores;
    return {backgroundCores: busiest?.backgroundCores ?? null, stealCores: steal != null && Number.isFinite(steal) ? steal : null};
}

/** True when a repetition ran while other processes kept BUSY_MACHINE_CORES or more busy. */
export function isBusyRow(result: Pick<TestResult, "samples">): boolean {
    const {backgroundCores} = busiestBackground(result);
    return backgroundCores != null && backgroundCores >= BUSY_MACHINE_CORES;
}

/**
 * Windows of one bandwidth kernel further apart than this (slowest below fastest) mean something else ran:
 * memory streaming has no warm-up to speak of, so on a quiet machine its windows agree closely.
 */
export const BANDWIDTH_SPREAD_LARGE = 0.15;

/**
 * Why the bandwidth probe's figures may be low, in one line, or null when nothing says so: other processes
 * kept BUSY_MACHINE_CORES or more busy over the probe, or its read windows spread more than BANDWIDTH_SPREAD_LARGE.
 * A wide spread with nothing else running here is told apart: on a 2-core VM with other processes at 0.05 cores,
 * single-thread read windows still differed by 17-26% (other guests on the host share its memory).
 */
export function busyBandwidthProbe(measurement: Pick<BandwidthMeasurement, "backgroundCores" | "spread" | "threads">): string | null {
    const load = measurement.backgroundCores;
    const busy = load != null && load >= BUSY_MACHINE_CORES;
    const spread = measurement.spread;
    const wide = spread == null ? [] : ([["read1", "1 thread"], ["readAll", `${measurement.threads} threads`]] as const)
        .filter(([kernel]) => spread[kernel].relative > BANDWIDTH_SPREAD_LARGE)
        .map(([kernel, label]) => `${label} ${Math.round(spread[kernel].relative * 100)}%`);
    const windows = `its windows differed by up to ${wide.join(", ")}`;
    if (busy)
        return `The machine may be busy: other processes kept ${load.toFixed(1)} cores busy during the probe${wide.length > 0 ? `, and ${windows}` : ""}, ` +
            "so these figures may be low. Measure again when it is quiet.";
    if (wide.length > 0)
        return `The machine may be busy: ${windows}${load != null ? " while no other process here was" : ""}; ` +
            "on a virtual machine, other guests on the host may share its memory. These figures may be low: measure again to compare.";
    return null;
}
