// The bench worker's own resident memory (Linux /proc/self/status), to measure what a load and a test really
// take: the kernel's peak (VmHWM, reset through /proc/self/clear_refs) and the anonymous and file-backed parts
// (RssAnon, RssFile) sampled while the test runs. Elsewhere there is nothing to read and nothing is recorded.
import {readFileSync, writeFileSync} from "node:fs";

export interface ProcessMemory {
    rssBytes: number,
    /** Peak resident memory since the process started or the last resetPeakMemory(). */
    peakBytes: number,
    anonBytes: number,
    fileBytes: number
}

/** Parses /proc/<pid>/status; null where a field is missing. */
export function parseProcessStatus(status: string): ProcessMemory | null {
    const kib = (field: string) => {
        const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
        return match != null ? Number(match[1]) * 1024 : null;
    };
    const [rss, peak, anon, file] = [kib("VmRSS"), kib("VmHWM"), kib("RssAnon"), kib("RssFile")];
    return rss != null && peak != null && anon != null && file != null ? {rssBytes: rss, peakBytes: peak, anonBytes: anon, fileBytes: file} : null;
}

export function readProcessMemory(): ProcessMemory | null {
    if (process.platform !== "linux")
        return null;
    try {
        return parseProcessStatus(readFileSync("/proc/self/status", "utf8"));
    } catch {
        return null;
    }
}

/** Resets VmHWM to the current RSS (Linux 4.0+: "5" to clear_refs), so the next peak is this test's. */
export function resetPeakMemory(): boolean {
    try {
        writeFileSync("/proc/self/clear_refs", "5");
        return true;
    } catch {
        return false;
    }
}

/** What a test took above the worker's memory before its model was loaded. */
export interface MemoryPeak {
    /** Peak resident memory minus the resident memory before the load (from VmHWM). */
    peakBytes: number,
    /** The anonymous and file-backed parts at the largest sampled total, each minus its part before the load. */
    anonBytes: number,
    fileBytes: number
}

/**
 * Samples RssAnon / RssFile every `intervalMs` (the load and decode run on native threads, so the JS
 * thread is free to) and, when stopped, returns the peak above `baseline`. VmHWM gives the total exactly;
 * the samples give its split, which a peak between two samples can only make slightly smaller.
 */
export function startMemoryMeter(baseline: ProcessMemory, intervalMs = 20): (() => MemoryPeak | null) {
    const peakReset = resetPeakMemory();
    let best: ProcessMemory | null = readProcessMemory();
    const sample = () => {
        const now = readProcessMemory();
        if (now != null && (best == null || now.anonBytes + now.fileBytes > best.anonBytes + best.fileBytes))
            best = now;
    };
    const timer = setInterval(sample, intervalMs);
    timer.unref();
    return () => {
        clearInterval(timer);
        sample();
        const end = readProcessMemory();
        if (best == null || end == null)
            return null;
        const sampledPeak = best.anonBytes + best.fileBytes;
        // Without a reset VmHWM may be an older, larger peak (an earlier test's): the samples are the truth then.
        const peak = peakReset ? Math.max(end.peakBytes, sampledPeak) : sampledPeak;
        return {
            peakBytes: Math.max(0, peak - baseline.rssBytes),
            anonBytes: Math.max(0, best.anonBytes - baseline.anonBytes),
            fileBytes: Math.max(0, best.fileBytes - baseline.fileBytes)
        };
    };
}
