// Every device a llama.cpp GPU backend can use, software ones included, with its kind and memory as
// llama.cpp reports them. llama.cpp's Vulkan backend skips CPU-type devices (Mesa's lavapipe, SwiftShader)
// unless GGML_VK_VISIBLE_DEVICES names them, and node-llama-cpp gives only names and a VRAM total summed
// over the devices it sees. So each device is probed alone, in a short child process whose environment makes
// exactly that one visible: its name, memory and llama.cpp's log of its properties (Vulkan device type, uma).
// Measured on a 2-core VM: one probe takes 3-7 s (loading the backend), so the list is made once per hardware
// detection, not per run.
import {execFile} from "node:child_process";
import {mkdtemp, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type {DeviceKind, Fact, LlamaDevice} from "../types.js";
import {llamaBinaryOptions} from "../llama/llamaBinaryOptions.js";

/** The environment variable each backend honours to choose its visible devices, by the backend's own index. */
export const VISIBLE_DEVICES_ENV: Readonly<Record<string, string>> = {
    vulkan: "GGML_VK_VISIBLE_DEVICES",
    cuda: "CUDA_VISIBLE_DEVICES"
};

/** Devices are probed up to this index: a probe past the last device fails, which ends the list sooner. */
const maxDevices = 8;

export interface ListLlamaDevicesOptions {
    /** The GPU backend whose binary node-llama-cpp loads here ("vulkan", "cuda", "metal"); others have no devices. */
    backend: string,
    /** The devices the user already made visible through the backend's variable (default: process.env). */
    env?: NodeJS.ProcessEnv,
    /** Runs one probe (injectable for tests); default a child process of this Node. */
    probe?: (backend: string, env: Record<string, string>) => Promise<DeviceProbe>,
    signal?: AbortSignal
}

/** What one probe process saw: node-llama-cpp's device names and VRAM, and llama.cpp's log lines. */
export interface DeviceProbe {
    names: string[],
    vram: {total: number, free: number} | null,
    log: string[],
    error?: string
}

/** Lists the backend's devices one at a time, each in its own probe with only it visible. */
export async function listLlamaDevices(options: ListLlamaDevicesOptions): Promise<LlamaDevice[]> {
    const {backend, signal} = options;
    const variable = VISIBLE_DEVICES_ENV[backend];
    const probe = options.probe ?? runDeviceProbe;
    if (backend === "metal") {
        // One device, and no variable chooses it.
        const seen = await probe(backend, {});
        return seen.names.map((name, index) => toDevice(backend, index, name, seen, true));
    }
    if (variable == null)
        return [];
    const asked = parseVisibleDevices((options.env ?? process.env)[variable]);
    const devices: LlamaDevice[] = [];
    for (let index = 0; index < maxDevices; index++) {
        signal?.throwIfAborted();
        const seen = await probe(backend, {[variable]: String(index)});
        const name = seen.names[0];
        if (seen.error != null || name == null)
            break;
        const device = toDevice(backend, index, name, seen, false);
        device.usedByDefault = asked != null ? asked.includes(index) : device.kind.value !== "software";
        devices.push(device);
    }
    return devices;
}

function toDevice(backend: string, index: number, name: string, seen: DeviceProbe, usedByDefault: boolean): LlamaDevice {
    const note = `${backend} device ${index}, probed alone`;
    return {
        index,
        backend,
        name: {value: name, source: "node-llama-cpp"},
        kind: deviceKindFromLog(backend, seen.log),
        vramTotalBytes: seen.vram != null && seen.vram.total > 0 ? {value: seen.vram.total, source: "node-llama-cpp", note} : {value: null, source: "none", note: "not reported"},
        vramFreeBytes: seen.vram != null && seen.vram.total > 0 ? {value: seen.vram.free, source: "node-llama-cpp", note} : {value: null, source: "none", note: "not reported"},
        usedByDefault
    };
}

/** The indices a GGML_VK_VISIBLE_DEVICES / CUDA_VISIBLE_DEVICES value names, or null when it is unset. */
export function parseVisibleDevices(value: string | undefined): number[] | null {
    if (value == null || value.trim() === "")
        return null;
    return value.split(/[\s,]+/).filter((part) => /^\d+$/.test(part)).map(Number);
}

/**
 * A device's kind from what llama.cpp logged while it was the only one visible. Vulkan prints each device's
 * line with `uma: 1` for unified memory (integrated) and warns "Device type is CPU" for a CPU-type device
 * (VK_PHYSICAL_DEVICE_TYPE_CPU); Metal logs `has unified memory = true`. CUDA logs neither: its devices are
 * taken as discrete, and said so.
 */
export function deviceKindFromLog(backend: string, log: readonly string[]): Fact<DeviceKind> {
    const text = log.join("\n");
    if (backend === "vulkan") {
        if (/Device type is CPU/i.test(text))
            return {value: "software", source: "node-llama-cpp", note: "llama.cpp: Vulkan device type is CPU (runs on the CPU)"};
        const uma = /ggml_vulkan: \d+ = .*\| uma: (\d)/.exec(text)?.[1];
        if (uma == null)
            return {value: null, source: "none", note: "llama.cpp did not log the device's properties"};
        return uma === "1"
            ? {value: "integrated", source: "node-llama-cpp", note: "llama.cpp: Vulkan device with unified memory (uma: 1)"}
            : {value: "discrete", source: "node-llama-cpp", note: "llama.cpp: Vulkan GPU with its own memory (uma: 0)"};
    }
    if (backend === "metal")
        return /has unified memory\s*=\s*true/i.test(text)
            ? {value: "integrated", source: "node-llama-cpp", note: "llama.cpp: Metal device with unified memory"}
            : {value: "discrete", source: "node-llama-cpp", note: "llama.cpp: Metal device without unified memory"};
    return {value: "discrete", source: "node-llama-cpp", note: `llama.cpp's ${backend} backend does not say; taken as a discrete GPU`};
}

/** The device a `--gpu-device` value names: its index, or a case-insensitive part of its name. One-line error otherwise. */
export function resolveGpuDevice(devices: readonly LlamaDevice[], wanted: string): LlamaDevice {
    const text = wanted.trim();
    const byIndex = /^\d+$/.test(text) ? devices.find((device) => device.index === Number(text)) : undefined;
    const byName = devices.filter((device) => device.name.value?.toLowerCase().includes(text.toLowerCase()));
    const found = byIndex ?? (byName.length === 1 ? byName[0] : undefined);
    if (found != null)
        return found;
    const list = devices.length > 0 ? devices.map((device) => `${device.index} = ${device.name.value}`).join(", ") : "none found";
    throw new Error(byName.length > 1
        ? `--gpu-device "${wanted}" matches ${byName.length} devices (${list}): give its index`
        : `--gpu-device "${wanted}" is not a device llama.cpp can use (devices: ${list})`);
}

/**
 * The device a run is limited to: the one `--gpu-device` names, else the single one the user's own
 * GGML_VK_VISIBLE_DEVICES / CUDA_VISIBLE_DEVICES names (so its kind is known and said), else none (llama.cpp's
 * own choice, which never includes a software device).
 */
export function chosenGpuDevice(devices: readonly LlamaDevice[], wanted: string | undefined, env: NodeJS.ProcessEnv = process.env):
    {backend: string, index: number, name: string, kind: DeviceKind | null} | undefined {
    let device: LlamaDevice | undefined;
    if (wanted != null && wanted.trim() !== "")
        device = resolveGpuDevice(devices, wanted);
    else {
        const backend = devices[0]?.backend;
        const asked = backend != null ? parseVisibleDevices(env[VISIBLE_DEVICES_ENV[backend] ?? ""]) : null;
        device = asked?.length === 1 ? devices.find((candidate) => candidate.index === asked[0]) : undefined;
    }
    return device != null ? {backend: device.backend, index: device.index, name: device.name.value ?? `device ${device.index}`, kind: device.kind.value} : undefined;
}

/** The environment that makes exactly this device visible to llama.cpp (empty for Metal). */
export function visibleDevicesEnv(device: Pick<LlamaDevice, "backend" | "index">): Record<string, string> {
    const variable = VISIBLE_DEVICES_ENV[device.backend];
    return variable != null ? {[variable]: String(device.index)} : {};
}

/** One probe: a child Node that loads node-llama-cpp's prebuilt binary for `backend` with this environment. */
export async function runDeviceProbe(backend: string, env: Record<string, string>): Promise<DeviceProbe> {
    const moduleUrl = import.meta.resolve("node-llama-cpp");
    const source = `
const {getLlama, LlamaLogLevel} = await import(${JSON.stringify(moduleUrl)});
const log = [];
let out;
try {
    const llama = await getLlama({gpu: ${JSON.stringify(backend)}, build: "never", ...${JSON.stringify(llamaBinaryOptions("prebuilt"))},
        logLevel: LlamaLogLevel.debug, logger: (_level, message) => log.push(...String(message).split("\\n")), progressLogs: false});
    const names = await llama.getGpuDeviceNames();
    const vram = names.length > 0 ? await llama.getVramState() : null;
    await llama.dispose();
    out = {names, vram: vram != null ? {total: vram.total, free: vram.free} : null, log};
} catch (error) {
    out = {names: [], vram: null, log, error: String(error)};
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
`;
    // A file, not `node -e`: node-llama-cpp tests its binary in a child started from the entry script, which
    // `-e` does not have (every binary then fails with NoBinaryFoundError).
    const dir = await mkdtemp(path.join(os.tmpdir(), "llamameter-device-probe-"));
    const file = path.join(dir, "probe.mjs");
    await writeFile(file, source);
    return await new Promise<DeviceProbe>((resolve) => {
        execFile(process.execPath, [file], {
            // Electron's binary runs as plain Node with this set; Node ignores it.
            env: {...process.env, ...env, ELECTRON_RUN_AS_NODE: "1"},
            timeout: 60_000,
            maxBuffer: 8 * 1024 * 1024
        }, (error, stdout, stderr) => {
            try {
                resolve(JSON.parse(stdout) as DeviceProbe);
            } catch {
                // e.g. llama.cpp aborted on an index past the last device
                resolve({names: [], vram: null, log: stderr.split("\n"), error: error?.message ?? "no answer"});
            }
        });
    }).finally(() => rm(dir, {recursive: true, force: true}));
}
