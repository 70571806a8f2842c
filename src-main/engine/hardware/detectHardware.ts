// The machine, as far as it can be known: CPU, memory, GPUs, llama.cpp's backend, the models disk, and the
// measured memory bandwidth. Every field says which source told it; what no source tells (VMs hide DIMMs,
// clock speeds, disk types) is null with source "none" and a note, never a guess.
import {readFile} from "node:fs/promises";
import os from "node:os";
import si from "systeminformation";
import type {BandwidthMeasurement, Fact, HardwareProfile} from "../types.js";
import {defaultModelsDir} from "../models/discoverModels.js";
import {lookupGpu} from "./gpuBandwidth.js";
import {diskForPath} from "./diskForPath.js";
import {measureBandwidth} from "./measureBandwidth.js";
import {memoryChannels} from "./memoryChannels.js";
import {parseLlamaSystemInfo} from "./parseLlamaSystemInfo.js";
import {parseRamSpec, theoreticalBandwidthGBs} from "./parseRamSpec.js";
import {physicalCoresFromCpuinfo} from "./physicalCoresFromCpuinfo.js";
import {nodeLlamaCppVersion, readLlamaInfo, type LlamaInfo} from "../llama/readLlamaInfo.js";
import {listLlamaDevices} from "./listLlamaDevices.js";

export interface DetectHardwareOptions {
    /** The folder whose disk is described (default: the project's models/ folder). */
    modelsDir?: string,
    /** "measure" runs the bandwidth probe (a few seconds); "skip" leaves bandwidth unknown. Default "measure". */
    bandwidth?: "measure" | "skip",
    /** The user's description of the RAM, e.g. "DDR4-3200x2": used for the theoretical bandwidth
     *  (source "user") since the OS rarely reports the channel count. */
    ramSpec?: string,
    /** GPU backend llama.cpp may load: "auto" (best that works) or false (CPU only). Default "auto". */
    gpu?: "auto" | false,
    signal?: AbortSignal
}

const MEASURED_NOTE = "read = memchr over buffers larger than the cache; copy counts read + write bytes; each figure the best window run while other processes were quiet";
const none = <T>(note: string): Fact<T> => ({value: null, source: "none", note});
const fromSi = <T>(value: T, note?: string): Fact<T> => (note != null ? {value, source: "systeminformation", note} : {value, source: "systeminformation"});

/** Detects the machine from systeminformation, node-llama-cpp, /proc files, and the bandwidth probe. */
export async function detectHardware(options: DetectHardwareOptions = {}): Promise<HardwareProfile> {
    const {signal} = options;
    signal?.throwIfAborted();
    const modelsDir = options.modelsDir ?? defaultModelsDir();

    const [cpu, mem, memLayout, graphics, osInfo, system, cpuinfo, llama, version, disk] = await Promise.all([
        si.cpu(),
        si.mem(),
        si.memLayout().catch(() => []),
        si.graphics().catch(() => ({controllers: [], displays: []})),
        si.osInfo(),
        si.system().catch(() => null),
        process.platform === "linux" ? readFile("/proc/cpuinfo", "utf8").catch(() => null) : Promise.resolve(null),
        readLlamaInfo(options.gpu ?? "auto").catch((error: unknown) => error instanceof Error ? error : new Error(String(error))),
        nodeLlamaCppVersion(),
        diskForPath(modelsDir)
    ]);
    signal?.throwIfAborted();
    const llamaInfo: LlamaInfo | null = llama instanceof Error ? null : llama;
    const llamaNote = llama instanceof Error ? `node-llama-cpp could not load: ${llama.message}` : undefined;

    // --- OS ---
    let virtualised: Fact<boolean>;
    if (system != null)
        virtualised = fromSi(system.virtual, system.virtual ? `virtual host: ${system.virtualHost || "unknown"}` : undefined);
    else if (cpuinfo != null)
        virtualised = {value: /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo), source: "os-file", note: "/proc/cpuinfo hypervisor flag"};
    else
        virtualised = none("not reported");

    // --- CPU ---
    const brandText = [cpu.manufacturer, cpu.brand].filter((part) => part !== "").join(" ").trim();
    const cpuinfoCores = cpuinfo != null ? physicalCoresFromCpuinfo(cpuinfo) : null;
    let physicalCores: Fact<number>;
    if (cpu.physicalCores > 0 && (cpuinfoCores == null || cpuinfoCores === cpu.physicalCores))
        physicalCores = fromSi(cpu.physicalCores, cpuinfoCores != null ? "agrees with /proc/cpuinfo core ids" : undefined);
    else if (cpuinfoCores != null)
        physicalCores = {value: cpuinfoCores, source: "os-file", note: `/proc/cpuinfo core ids (systeminformation said ${cpu.physicalCores})`};
    else
        physicalCores = none("not reported");
    const logicalCores: Fact<number> = cpu.cores > 0 ? fromSi(cpu.cores) : {value: os.cpus().length, source: "os-file", note: "os.cpus()"};
    const speed = cpu.speedMax > 0 ? cpu.speedMax : cpu.speed;
    const speedGHz: Fact<number> = speed > 0
        ? fromSi(speed, cpu.speedMax > 0 ? "maximum clock" : "current clock")
        : none("the clock speed is not reported (virtual machine or no cpufreq)");
    const simd: Fact<string[]> = llamaInfo != null
        ? {value: parseLlamaSystemInfo(llamaInfo.systemInfo), source: "node-llama-cpp", note: "llama.cpp system info"}
        : none(llamaNote ?? "llama.cpp not loaded");
    const llc = cpu.cache.l3 > 0 ? cpu.cache.l3 : cpu.cache.l2 > 0 ? cpu.cache.l2 : 0;
    const lastLevelCacheBytes: Fact<number> = llc > 0 ? fromSi(llc, cpu.cache.l3 > 0 ? "L3" : "L2") : none("cache sizes not reported");

    // --- Memory ---
    const modules = memLayout.filter((module) => module.size > 0);
    const modulesKnown = modules.some((module) => module.type !== "" || (module.clockSpeed ?? 0) > 0);
    const modulesFact: HardwareProfile["memory"]["modules"] = modulesKnown
        ? fromSi(modules.map((module) => ({
            type: module.type !== "" ? module.type : null,
            speedMTs: (module.clockSpeed ?? 0) > 0 ? module.clockSpeed : null,
            sizeBytes: module.size > 0 ? module.size : null
        })), "SMBIOS memory devices")
        : none("the memory modules are not reported (virtual machine, or SMBIOS / dmidecode not readable without root)");
    const theoreticalGBs = theoreticalMemoryBandwidth(options.ramSpec, modulesKnown ? modules : []);

    // --- GPUs ---
    const gpus = describeGpus(graphics.controllers, llamaInfo);
    const backend = llamaInfo?.backend ?? "cpu";
    // Every device of the loaded GPU binary, software ones included (llama.cpp skips those unless asked).
    const devices = llamaInfo != null && llamaInfo.binaryBackend !== "cpu"
        ? await listLlamaDevices({backend: llamaInfo.binaryBackend, ...(signal != null ? {signal} : {})}).catch(() => undefined)
        : [];

    // --- Bandwidth ---
    let bandwidth: Fact<BandwidthMeasurement> = none("not measured (bandwidth: skip)");
    if ((options.bandwidth ?? "measure") === "measure") {
        const threads = physicalCores.value ?? logicalCores.value ?? undefined;
        try {
            bandwidth = {
                value: await measureBandwidth({...(threads != null ? {threads} : {}), ...(signal != null ? {signal} : {})}),
                source: "measured",
                note: MEASURED_NOTE
            };
        } catch (error) {
            // A failed probe (e.g. memory too tight for its buffers) leaves bandwidth unknown; a cancel stops.
            if (signal?.aborted)
                throw error;
            bandwidth = none(`the bandwidth probe failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }

    return {
        detectedAt: new Date().toISOString(),
        os: {
            platform: process.platform,
            distro: osInfo.distro !== "" ? fromSi(osInfo.distro) : none("not reported"),
            release: osInfo.release !== "" ? fromSi(osInfo.release, osInfo.kernel !== "" ? `kernel ${osInfo.kernel}` : undefined) : none("not reported"),
            arch: os.arch(),
            virtualised
        },
        cpu: {brand: brandText !== "" ? fromSi(brandText) : none("not reported"), physicalCores, logicalCores, simd, speedGHz, lastLevelCacheBytes},
        memory: {
            totalBytes: fromSi(mem.total),
            freeBytes: fromSi(mem.available, "available: free plus reclaimable page cache"),
            modules: modulesFact,
            theoreticalGBs
        },
        bandwidth,
        gpus,
        ...(devices != null ? {devices} : {}),
        backends: {
            cuda: llamaInfo?.supportedGpuTypes.includes("cuda") ?? false,
            vulkan: llamaInfo?.supportedGpuTypes.includes("vulkan") ?? false,
            metal: llamaInfo?.supportedGpuTypes.includes("metal") ?? false,
            cpu: true,
            used: backend
        },
        disk,
        nodeLlamaCppVersion: version,
        llamaCppRelease: llamaInfo?.llamaCppRelease ?? "unknown"
    };
}

/** channels x MT/s x 8 bytes, from the user's description or from the modules when their slots name channels. */
function theoreticalMemoryBandwidth(ramSpec: string | undefined, modules: si.Systeminformation.MemLayoutData[]): Fact<number> {
    if (ramSpec != null && ramSpec.trim() !== "") {
        const spec = parseRamSpec(ramSpec);
        if (spec != null)
            return {value: spec.theoreticalGBs, source: "user", note: `${spec.type ?? "RAM"}-${spec.mts} x ${spec.channels} channels`};
        return none(`could not read "${ramSpec}" (expected e.g. DDR4-3200x2)`);
    }
    if (modules.length === 0)
        return none("memory modules unknown: describe the RAM (e.g. DDR4-3200x2) for a theoretical figure");
    const speeds = modules.map((module) => module.clockSpeed ?? 0).filter((speed) => speed > 0);
    if (speeds.length === 0)
        return none("module speeds not reported");
    const channels = memoryChannels(modules.map((module) => module.bank));
    if (channels == null)
        return none(`${modules.length} modules at ${Math.min(...speeds)} MT/s, but the slots do not name their channels: describe the RAM (e.g. DDR4-3200x2)`);
    const mts = Math.min(...speeds);
    return fromSi(theoreticalBandwidthGBs(mts, channels), `${channels} channels (from slot labels) x ${mts} MT/s x 8 bytes`);
}

/** One entry per GPU: systeminformation's adapters, with llama.cpp's VRAM figures for its backend's device. */
function describeGpus(controllers: si.Systeminformation.GraphicsControllerData[], llama: LlamaInfo | null): HardwareProfile["gpus"] {
    const gpus: HardwareProfile["gpus"] = [];
    const llamaNames = [...(llama?.gpuDeviceNames ?? [])];
    const single = llamaNames.length === 1 && llama?.vram != null;

    for (const controller of controllers) {
        const name = controller.model.trim();
        if (name === "")
            continue;
        const llamaIndex = llamaNames.findIndex((device) => namesOverlap(device, name));
        const fromLlama = llamaIndex >= 0 && single && llama?.vram != null;
        if (llamaIndex >= 0)
            llamaNames.splice(llamaIndex, 1);
        const vramTotal: Fact<number> = fromLlama
            ? {value: llama!.vram!.total, source: "node-llama-cpp", note: `${llama!.backend} device memory`}
            : (controller.vram ?? 0) > 0
                ? fromSi((controller.vram ?? 0) * 1024 * 1024, controller.vramDynamic ? "shared with system memory" : undefined)
                : none("not reported");
        const vramFree: Fact<number> = fromLlama
            ? {value: llama!.vram!.free, source: "node-llama-cpp", note: `${llama!.backend} device memory`}
            : none("free VRAM is known only for the GPU llama.cpp loaded");
        gpus.push({
            name: fromSi(name),
            vendor: controller.vendor !== "" ? fromSi(controller.vendor) : none("not reported"),
            vramTotalBytes: vramTotal,
            vramFreeBytes: vramFree,
            bandwidthGBs: gpuBandwidthFact(name, vramTotal.value)
        });
    }
    // Devices llama.cpp sees that systeminformation did not list (e.g. no lspci in a container).
    for (const device of llamaNames) {
        const vramTotal: Fact<number> = single
            ? {value: llama!.vram!.total, source: "node-llama-cpp", note: `${llama!.backend} device memory`}
            : none("llama.cpp reports the memory of all its devices together");
        gpus.push({
            name: {value: device, source: "node-llama-cpp"},
            vendor: none("not reported"),
            vramTotalBytes: vramTotal,
            vramFreeBytes: single ? {value: llama!.vram!.free, source: "node-llama-cpp"} : none("llama.cpp reports the memory of all its devices together"),
            bandwidthGBs: gpuBandwidthFact(device, vramTotal.value)
        });
    }
    return gpus;
}

function gpuBandwidthFact(name: string, vramBytes: number | null): Fact<number> {
    const spec = lookupGpu(name, vramBytes);
    return spec != null
        ? {value: spec.bandwidthGBs, source: "table", note: `${spec.vendor} ${spec.name} ${spec.vramGB} GB: ${spec.source}`}
        : none(`"${name}" is not in the GPU table`);
}

function namesOverlap(a: string, b: string): boolean {
    const numbers = (text: string): string[] => text.match(/\d{3,}/g) ?? [];
    const shared = numbers(a).filter((number) => numbers(b).includes(number));
    return shared.length > 0 || a.toLowerCase().includes(b.toLowerCase()) || b.toLowerCase().includes(a.toLowerCase());
}

let cached: {key: string, profile: Promise<HardwareProfile>} | null = null;

/** detectHardware once per process (per models folder, GPU option and RAM description). A later call that
 *  asks to measure bandwidth when the cached profile skipped it measures then and updates the cache. */
export async function getHardwareProfile(options: DetectHardwareOptions = {}): Promise<HardwareProfile> {
    const key = JSON.stringify([options.modelsDir ?? null, options.gpu ?? "auto", options.ramSpec ?? null]);
    if (cached == null || cached.key !== key) {
        const profile = detectHardware({...options, bandwidth: options.bandwidth ?? "measure"});
        cached = {key, profile};
        profile.catch(() => {
            if (cached?.profile === profile)
                cached = null;
        });
        return profile;
    }
    const profile = await cached.profile;
    if ((options.bandwidth ?? "measure") === "measure" && profile.bandwidth.value == null) {
        const measured = measureBandwidth({
            ...(profile.cpu.physicalCores.value != null ? {threads: profile.cpu.physicalCores.value} : {}),
            ...(options.signal != null ? {signal: options.signal} : {})
        }).then((value): HardwareProfile => ({
            ...profile,
            bandwidth: {value, source: "measured", note: MEASURED_NOTE}
        }));
        cached = {key, profile: measured};
        measured.catch(() => {
            if (cached?.profile === measured)
                cached = {key, profile: Promise.resolve(profile)};
        });
        return measured;
    }
    return profile;
}

/** Forgets the cached profile (after hardware changes, or in tests). */
export function clearHardwareProfileCache(): void {
    cached = null;
}
