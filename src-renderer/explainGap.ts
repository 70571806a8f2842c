// One row's gap to the ceiling, in plain words: what bounds it and how close it gets.
import type {HardwareProfile, TestResult} from "../src-main/api/contract.js";
import {formatPercent} from "./format.js";

/** e.g. "memory-bound: 82% of the ceiling; prompt processing is compute-bound (6.1× faster per token)". */
export function explainGap(row: TestResult, hardware?: HardwareProfile | null): string {
    if (row.status === "error") return `failed: ${row.error ?? "no reason given"}`;
    if (row.status === "cancelled") return "cancelled before it finished";
    const stats = row.stats;
    if (stats == null || stats.tgTps.n === 0) return "no generation measured";

    const notes: string[] = [];
    const ceiling = row.ceiling;
    const efficiency = ceiling?.efficiency ?? null;
    if (ceiling?.modelError != null) {
        notes.push(`faster than the ceiling: ${ceiling.modelError}`);
    } else if (ceiling == null || ceiling.bound === "unknown" || (ceiling.ceilingTps == null && ceiling.ceilingTpsTheoretical == null)) {
        notes.push("no ceiling: the memory bandwidth is unknown here");
    } else {
        const share = efficiency != null ? `${formatPercent(efficiency)} of the ceiling` : "ceiling from spec sheets only";
        switch (ceiling.bound) {
            case "cpu-memory":
                notes.push(`memory-bound: ${share}`);
                break;
            case "gpu-memory":
                notes.push(`GPU memory-bound: ${share}`);
                break;
            case "mixed":
                notes.push(`partial offload: CPU layers dominate (${share})`);
                break;
            case "compute":
                notes.push(`compute-bound: the cores, not memory, limit generation (${share})`);
                break;
        }
    }

    const physicalCores = hardware?.cpu.physicalCores.value ?? row.env.physicalCores;
    if (physicalCores != null && row.config.threads > physicalCores)
        notes.push(`threads exceed physical cores (${row.config.threads} > ${physicalCores})`);

    const tgMs = stats.tgMsPerToken.mean;
    const sampleMs = stats.sampleMsPerToken.mean;
    if (tgMs > 0 && sampleMs / tgMs >= 0.2)
        notes.push(`sampling takes ${formatPercent(sampleMs / tgMs)} of each token`);

    const pp = stats.ppTps.mean;
    const tg = stats.tgTps.mean;
    if (stats.ppTps.n > 0 && pp > 0 && tg > 0)
        notes.push(`prompt processing is compute-bound (${(pp / tg).toFixed(1)}× the generation rate)`);
    return notes.join("; ");
}
