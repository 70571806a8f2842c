// Physical cores as Linux's /proc/cpuinfo lists them: distinct (physical id, core id) pairs. Used to
// cross-check systeminformation, whose count comes from lscpu and can be off on some VMs.

/** Distinct (physical id, core id) pairs, or null when the text has no core ids (some VMs, non-x86). */
export function physicalCoresFromCpuinfo(text: string): number | null {
    const cores = new Set<string>();
    for (const block of text.split(/\n\s*\n/)) {
        const core = /^core id\s*:\s*(\d+)/m.exec(block);
        if (core == null)
            continue;
        const socket = /^physical id\s*:\s*(\d+)/m.exec(block);
        cores.add(`${socket?.[1] ?? "0"}:${core[1]}`);
    }
    return cores.size > 0 ? cores.size : null;
}
