// How busy the machine is with work that is not ours. On a shared 2-core machine another process's burst
// turns llama.cpp's spinning thread barriers into waits for a descheduled partner (seen here: 2-thread
// generation falling from ~22 to ~2 tokens/s), so every measurement records the load beside it and the
// comparison can wait for a quiet moment and keep only quiet pairs. Linux only (/proc); elsewhere null.
import {readFileSync} from "node:fs";
import {setTimeout as sleep} from "node:timers/promises";

/** All CPUs' jiffies from /proc/stat's first line. */
export interface CpuTimes {
    /** Not idle: ours, other processes', the kernel's and the hypervisor's (steal). */
    busy: number,
    total: number,
    /** Time the hypervisor ran something else while this VM wanted the CPU (0 on bare metal). */
    steal: number
}

/** Reads /proc/stat's aggregate "cpu" line: user nice system idle iowait irq softirq steal guest guest_nice. */
export function parseCpuTimes(procStat: string): CpuTimes {
    const cpu = procStat.split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle + iowait
    // guest and guest_nice are already counted in user and nice
    const total = cpu.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return {busy: total - idle, total, steal: cpu[7] ?? 0};
}

interface Snapshot extends CpuTimes {
    /** This process's CPU jiffies plus its waited-for children's (/proc/self/stat). */
    own: number
}

function snapshot(): Snapshot | null {
    try {
        const times = parseCpuTimes(readFileSync("/proc/stat", "utf8"));
        const stat = readFileSync("/proc/self/stat", "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
        // utime, stime, cutime, cstime (fields 14-17 of proc(5)); the slice starts at field 3
        const own = fields[11]! + fields[12]! + fields[13]! + fields[14]!;
        return {...times, own};
    } catch {
        return null;
    }
}

/**
 * Starts a meter of one share of the CPU: calling the returned function gives the mean number of cores
 * that share took since the start, or null where /proc is missing.
 */
function startCpuMeter(jiffies: (snapshot: Snapshot) => number): () => number | null {
    const start = snapshot();
    const cores = cpuCount();
    return () => {
        const end = snapshot();
        if (start == null || end == null || end.total <= start.total)
            return null;
        return Math.max(0, (jiffies(end) - jiffies(start)) / (end.total - start.total) * cores);
    };
}

/**
 * Starts a background-load meter; calling the returned function gives the mean number of CPU cores other
 * processes kept busy since the start (our process and the children we waited for excluded), or null
 * where /proc is missing. Children still running when it is read count as "other".
 */
export function startBackgroundLoad(): () => number | null {
    return startCpuMeter((snapshot) => snapshot.busy - snapshot.own);
}

/**
 * Starts a steal meter: the mean number of cores the hypervisor gave to other guests while this VM wanted
 * them, since the start (null where /proc is missing). It is part of the background load above (neither
 * idle nor ours), told apart so a row can say the host took the CPU, not a process the user could close.
 */
export function startStealMeter(): () => number | null {
    return startCpuMeter((snapshot) => snapshot.steal);
}

export interface WaitForQuietCpuOptions {
    /** Quiet means other processes use at most this many cores, averaged over `windowMs`. */
    maxCores: number,
    windowMs?: number,
    /** Give up waiting after this long and go on (the measurement then records its load). */
    timeoutMs?: number,
    signal?: AbortSignal
}

/** Waits until the machine is quiet; returns the last window's load (null without /proc). */
export async function waitForQuietCpu(options: WaitForQuietCpuOptions): Promise<number | null> {
    const windowMs = options.windowMs ?? 1000;
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
        const read = startBackgroundLoad();
        await sleep(windowMs, undefined, {signal: options.signal});
        const load = read();
        if (load == null || load <= options.maxCores || Date.now() >= deadline)
            return load;
    }
}

function cpuCount(): number {
    const cpu = (() => {
        try {
            return readFileSync("/proc/stat", "utf8").split("\n").filter((line) => /^cpu\d+ /.test(line)).length;
        } catch {
            return 0;
        }
    })();
    return cpu > 0 ? cpu : 1;
}
