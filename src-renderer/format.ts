// How numbers read in the UI: one place so every panel rounds and names units the same way.
import type {TestResult} from "../src-main/api/contract.js";
import {formatBytes as formatSize} from "../src-main/engine/formatBytes.js";

type Stats = NonNullable<TestResult["stats"]>["tgTps"];

export const unknown = "unknown";

/** 1 536 000 000 -> "1.43 GiB" (the engine's one size format); "unknown" when missing. */
export function formatBytes(bytes: number | null | undefined): string {
    return formatSize(bytes, unknown);
}

/** Three significant figures, no exponent: 0.0123, 1.23, 12.3, 123, 12345. */
export function formatNumber(value: number | null | undefined): string {
    if (value == null || !Number.isFinite(value)) return unknown;
    const abs = Math.abs(value);
    if (abs >= 100) return Math.round(value).toString();
    if (abs >= 10) return value.toFixed(1);
    if (abs >= 1) return value.toFixed(2);
    if (abs === 0) return "0";
    return value.toPrecision(3);
}

/** "12.3 ± 0.4": the sd to the mean's decimals, so the cell stays short (sd left out for a single sample). */
export function formatStat(stats: Stats | undefined): string {
    if (stats == null || stats.n === 0) return "—";
    const mean = formatNumber(stats.mean);
    if (stats.n < 2 || !Number.isFinite(stats.sd)) return mean;
    const decimals = mean.includes(".") ? mean.length - mean.indexOf(".") - 1 : 0;
    return `${mean} ± ${stats.sd.toFixed(decimals)}`;
}

/** 0.823 -> "82%". */
export function formatPercent(ratio: number | null | undefined): string {
    if (ratio == null || !Number.isFinite(ratio)) return "—";
    return `${Math.round(ratio * 100)}%`;
}

/** Parameter counts: 1.1e9 -> "1.10 B", 2.5e7 -> "25.0 M". */
export function formatParams(count: number | null | undefined): string {
    if (count == null || !Number.isFinite(count)) return unknown;
    if (count >= 1e9) return `${(count / 1e9).toFixed(2)} B`;
    if (count >= 1e6) return `${(count / 1e6).toFixed(1)} M`;
    if (count >= 1e3) return `${(count / 1e3).toFixed(1)} K`;
    return String(count);
}

/** An ETA or duration: 4200 -> "4 s", 95000 -> "1 min 35 s". */
export function formatDuration(ms: number | null | undefined): string {
    if (ms == null || !Number.isFinite(ms)) return "estimating…";
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 60) return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    return `${minutes} min ${seconds % 60} s`;
}

/** The last path segment, for either separator. */
export function baseName(path: string): string {
    const parts = path.split(/[\\/]/);
    return parts[parts.length - 1] || path;
}
