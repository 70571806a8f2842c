// `llamameter hw`: the machine as detected, each field with the source that told it, and the memory
// bandwidth both measured (the probe) and theoretical (DIMM spec, where known or described).
import {Option, type Command} from "commander";
import {getHardwareProfile} from "../../engine/hardware/detectHardware.js";
import {formatBandwidthSpread} from "../../engine/hardware/formatBandwidthSpread.js";
import {busyBandwidthProbe} from "../../engine/ceiling/busyMachine.js";
import {GPU_BACKENDS, type Fact, type HardwareProfile} from "../../engine/types.js";

interface HwFlags {
    json?: boolean,
    bandwidth: "measure" | "skip",
    ram?: string,
    cpu?: boolean
}

export function registerHwCommand(program: Command) {
    program.command("hw")
        .description("Show this machine's CPU, memory, GPUs, llama.cpp backend and memory bandwidth, with where each figure comes from")
        .option("--json", "print the profile as JSON")
        .addOption(new Option("--bandwidth <mode>", "measure memory bandwidth (a few seconds)").choices(["measure", "skip"]).default("measure"))
        .option("--ram <spec>", "describe the RAM for the theoretical bandwidth, e.g. DDR4-3200x2")
        .option("--cpu", "do not try GPU backends")
        .action(async (flags: HwFlags) => {
            if (flags.bandwidth === "measure" && !flags.json)
                process.stderr.write("Detecting hardware and measuring memory bandwidth…\n");
            const profile = await getHardwareProfile({
                bandwidth: flags.bandwidth,
                ...(flags.ram != null ? {ramSpec: flags.ram} : {}),
                ...(flags.cpu === true ? {gpu: false as const} : {})
            });
            process.stdout.write(flags.json ? `${JSON.stringify(profile, null, 2)}\n` : formatHardwareProfile(profile));
        });
}

type Row = [field: string, value: string, source: string];

function fact<T>(field: string, value: Fact<T>, show: (value: T) => string = String): Row {
    const source = value.source + (value.note != null ? ` (${value.note})` : "");
    return [field, value.value != null ? show(value.value) : "unknown", source];
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** The profile as a three-column text table: field, value, source (with its note). */
export function formatHardwareProfile(profile: HardwareProfile): string {
    const rows: Row[] = [
        ["OS", `${profile.os.distro.value ?? profile.os.platform} ${profile.os.release.value ?? ""} (${profile.os.platform} ${profile.os.arch})`.replace(/\s+/g, " "),
            profile.os.distro.source],
        fact("virtualised", profile.os.virtualised, (value) => (value ? "yes" : "no")),
        fact("CPU", profile.cpu.brand),
        fact("physical cores", profile.cpu.physicalCores),
        fact("logical cores", profile.cpu.logicalCores),
        fact("clock", profile.cpu.speedGHz, (value) => `${value} GHz`),
        fact("SIMD (llama.cpp)", profile.cpu.simd, (value) => value.join(" ")),
        ...(profile.cpu.lastLevelCacheBytes != null ? [fact("last-level cache", profile.cpu.lastLevelCacheBytes, (value) => `${(value / 2 ** 20).toFixed(0)} MiB`)] : []),
        fact("RAM total", profile.memory.totalBytes, (value) => `${gib(value)} (${gb(value)})`),
        fact("RAM available", profile.memory.freeBytes, gib),
        fact("RAM modules", profile.memory.modules, (modules) => modules
            .map((module) => `${module.sizeBytes != null ? gib(module.sizeBytes) : "?"} ${module.type ?? "?"}-${module.speedMTs ?? "?"}`)
            .join(", ")),
        fact("bandwidth, theoretical", profile.memory.theoreticalGBs, (value) => `${value} GB/s`),
        fact("bandwidth, measured read", profile.bandwidth, (value) => `${value.read1GBs} GB/s (1 thread), ${value.readAllGBs} GB/s (${value.threads} threads)`),
        ...(profile.bandwidth.value?.spread != null ? [fact("bandwidth, read windows", profile.bandwidth, (value) => formatBandwidthSpread(value) ?? "")] : []),
        fact("bandwidth, measured copy", profile.bandwidth, (value) => `${value.copy1GBs} GB/s (1 thread), ${value.copyAllGBs} GB/s (${value.threads} threads); read + write bytes`),
        ...(profile.bandwidth.value != null && profile.memory.theoreticalGBs.value != null
            ? [["measured / theoretical", `${Math.round((profile.bandwidth.value.readAllGBs / profile.memory.theoreticalGBs.value) * 100)}%`, "computed"] as Row]
            : [])
    ];
    if (profile.gpus.length === 0)
        rows.push(["GPU", "none found", "systeminformation, node-llama-cpp"]);
    profile.gpus.forEach((gpu, index) => {
        const label = profile.gpus.length > 1 ? `GPU ${index}` : "GPU";
        rows.push(
            fact(label, gpu.name),
            fact(`${label} vendor`, gpu.vendor),
            fact(`${label} VRAM`, gpu.vramTotalBytes, gib),
            fact(`${label} VRAM free`, gpu.vramFreeBytes, gib),
            fact(`${label} bandwidth`, gpu.bandwidthGBs, (value) => `${value} GB/s`)
        );
    });
    for (const device of profile.devices ?? []) {
        const label = `llama.cpp device ${device.backend} ${device.index}`;
        rows.push(
            fact(label, device.name, (name) => `${name}${device.usedByDefault ? "" : " (not used unless asked: --gpu-device " + device.index + ")"}`),
            fact(`${label} kind`, device.kind, (kind) => kind === "software" ? "software (runs on the CPU)" : kind),
            fact(`${label} VRAM`, device.vramTotalBytes, gib)
        );
    }
    const usable = GPU_BACKENDS.filter((name) => profile.backends[name]);
    rows.push(
        ["llama.cpp backend", `${profile.backends.used} (usable GPU backends: ${usable.length > 0 ? usable.join(", ") : "none"})`, "node-llama-cpp"],
        ["llama.cpp release", profile.llamaCppRelease, "node-llama-cpp"],
        ["node-llama-cpp", profile.nodeLlamaCppVersion, "package.json"],
        ["models folder", profile.disk.path, "-"],
        fact("models disk", profile.disk.device),
        fact("models disk kind", profile.disk.kind, (value) => value.toUpperCase()),
        fact("models disk free", profile.disk.freeBytes, gib)
    );

    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
    const header: Row = ["field", "value", "source"];
    // Below the table: a sentence this long would widen the value column for every row.
    const busy = profile.bandwidth.value != null ? busyBandwidthProbe(profile.bandwidth.value) : null;
    return [header, ...rows]
        .map(([field, value, source]) => `${field.padEnd(widths[0]!)}  ${value.padEnd(widths[1]!)}  ${source}`.trimEnd())
        .join("\n") + "\n" + (busy != null ? `\n${busy}\n` : "");
}
