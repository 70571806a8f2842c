// The CPU packages' energy counters Linux exposes through powercap (Intel RAPL; AMD Zen has them under the same
// intel-rapl names since Linux 5.8). Read around each repetition by the bench worker (openEnergyMeter).
import {readdirSync, readFileSync} from "node:fs";
import path from "node:path";

export const defaultPowercapDir = "/sys/class/powercap";

export interface RaplCounterOptions {
    /** The powercap class folder (default /sys/class/powercap); tests point it at fixture folders. */
    root?: string,
    /** Reads a file's text (default readFileSync); tests inject one that fails as a permission error does. */
    readFile?: (file: string) => string,
    /**
     * Milliseconds between background reads while open. A counter wraps at max_energy_range_uj; two reads further apart
     * than one wrap would lose a whole range. AMD's range is ~65.5 kJ (15.3 uJ units, 32 bits): 131 s at 500 W; Intel's
     * ~262 kJ. 10 s keeps every pair of reads well inside one wrap.
     */
    pollMs?: number
}

export interface RaplCounter {
    /** What is summed, e.g. "RAPL package-0 + package-1 (intel-rapl:0, intel-rapl:1)". */
    readonly source: string,
    /** Joules counted by all packages since the counter was opened, wrap-arounds included. Throws when a read fails. */
    read(): number,
    close(): void
}

/** Why no counter could be opened: one line; `absent` when the machine simply has none (nothing to fix). */
export interface EnergyUnavailable {
    reason: string,
    absent: boolean
}

interface Domain {
    zone: string,
    name: string,
    energyFile: string,
    maxRangeUj: number,
    lastUj: number
}

/**
 * Opens the package-level RAPL counters: top-level zones `intel-rapl:N` whose name is `package-N` (the `:N:M`
 * subzones, core / uncore / dram, are parts or neighbours of a package, never added). Some Intel machines expose
 * the same package again as `intel-rapl-mmio:N`; it is taken only for a package the MSR zones lack, so nothing
 * is counted twice.
 */
export function openRaplCounter(options: RaplCounterOptions = {}): RaplCounter | EnergyUnavailable {
    const root = options.root ?? defaultPowercapDir;
    const readFile = options.readFile ?? ((file: string) => readFileSync(file, "utf8"));
    let entries: string[];
    try {
        entries = readdirSync(root);
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "ENOENT"
            ? {reason: `no RAPL energy counters: ${root} does not exist (a virtual machine, or a kernel without powercap)`, absent: true}
            : {reason: `no RAPL energy counters: ${root}: ${(error as Error).message}`, absent: false};
    }
    const zones = entries.filter((entry) => /^intel-rapl(-mmio)?:\d+$/.test(entry))
        // MSR zones before MMIO ones, so a package both expose is taken from the MSR zone
        .sort((a, b) => Number(a.includes("mmio")) - Number(b.includes("mmio")) || a.localeCompare(b, "en", {numeric: true}));

    const domains: Domain[] = [];
    try {
        for (const zone of zones) {
            const name = readFile(path.join(root, zone, "name")).trim();
            if (!name.startsWith("package") || domains.some((domain) => domain.name === name))
                continue;
            const energyFile = path.join(root, zone, "energy_uj");
            const maxRangeUj = readMicrojoules(readFile, path.join(root, zone, "max_energy_range_uj"));
            const lastUj = readMicrojoules(readFile, energyFile);
            if (maxRangeUj <= 0)
                return {reason: `RAPL ${zone}: max_energy_range_uj is ${maxRangeUj}, no usable range`, absent: false};
            domains.push({zone, name, energyFile, maxRangeUj, lastUj});
        }
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Linux made energy_uj readable by root only in the fix for CVE-2020-8694 (Platypus, Nov 2020): energy read
        // fast enough leaks what the CPU computes.
        return code === "EACCES" || code === "EPERM"
            ? {reason: "RAPL energy_uj is readable by root only (Linux since the fix for CVE-2020-8694): run as root, " +
                `or let this user read ${path.join(root, "intel-rapl:*", "energy_uj")}`, absent: false}
            : {reason: `RAPL: ${(error as Error).message}`, absent: false};
    }
    if (domains.length === 0)
        return {reason: `no RAPL package counter in ${root} (a virtual machine, or a CPU or kernel without RAPL)`, absent: true};

    let joules = 0;
    const read = () => {
        for (const domain of domains) {
            const nowUj = readMicrojoules(readFile, domain.energyFile);
            let delta = nowUj - domain.lastUj;
            // The counter restarts from 0 after max_energy_range_uj (the kernel's range of it); the background reads
            // make sure it wrapped at most once since the last read.
            if (delta < 0)
                delta += domain.maxRangeUj;
            domain.lastUj = nowUj;
            joules += delta / 1e6;
        }
        return joules;
    };
    const timer = setInterval(() => {
        try {
            read();
        } catch {
            // the next mark reads again and reports the failure
        }
    }, options.pollMs ?? 10_000);
    timer.unref();
    return {
        source: `RAPL ${domains.map((domain) => domain.name).join(" + ")} (${domains.map((domain) => domain.zone).join(", ")})`,
        read,
        close: () => clearInterval(timer)
    };
}

/** A counter file's micro-joules: a non-negative integer, else an Error naming the file. */
function readMicrojoules(readFile: (file: string) => string, file: string): number {
    const text = readFile(file).trim();
    if (!/^\d+$/.test(text))
        throw new Error(`${file}: "${text.slice(0, 40)}" is not a count of micro-joules`);
    return Number(text);
}
