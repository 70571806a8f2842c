// Whether other processes disturbed a row: the threshold and the busiest repetition's load, in one place
// for the explanation line (explainGap) and the UI's "busy" badge. Plain data in, so the renderer can use it.
import type {RepSample, TestResult} from "../types.js";

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
