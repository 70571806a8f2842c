import type {BandwidthKernel, BandwidthMeasurement} from "../types.js";

/**
 * "1 thread 10.1–11.5 GB/s (12%, 5 windows), 2 threads 20.4–21.6 GB/s (6%, 5 windows)": the read windows' range
 * beside the figure (their best quiet one), so a reader sees how steady it was. Null for a measurement with no
 * windows. Plain code: the renderer imports it too.
 */
export function formatBandwidthSpread(measurement: Pick<BandwidthMeasurement, "spread" | "threads">): string | null {
    const spread = measurement.spread;
    if (spread == null)
        return null;
    const part = (kernel: BandwidthKernel, label: string) => {
        const windows = spread[kernel];
        const count = windows.windowsGBs.length;
        return `${label} ${windows.min.toFixed(1)}–${windows.max.toFixed(1)} GB/s (${Math.round(windows.relative * 100)}%, ${count} window${count === 1 ? "" : "s"})`;
    };
    return `${part("read1", "1 thread")}, ${part("readAll", `${measurement.threads} thread${measurement.threads === 1 ? "" : "s"}`)}`;
}
