// The GPU side of a run as the user asked for it: which device llama.cpp may use, the GPU's bandwidth for the
// ceiling, and a VRAM budget. The CLI (--gpu-device, --gpu-bandwidth, --vram-budget, --cpu) and the app (its
// Advanced panel, through the API) both come through here, so a choice means the same on either.
import type {HardwareProfile, SweepSpec} from "../types.js";
import type {WorkerSettings} from "./workerProtocol.js";
import {chosenGpuDevice} from "../hardware/listLlamaDevices.js";

/** The user's GPU choice (SweepSpec's fields, documented there), and --cpu: never use a GPU backend. */
export type GpuChoice = Pick<SweepSpec, "gpuDevice" | "gpuBandwidthGBs" | "vramBudgetBytes"> & {cpu?: boolean};

export interface ResolvedGpuChoice {
    /** The profile the run annotates with: the user's GPU bandwidth on the GPU, when given. */
    hardware: HardwareProfile,
    /** The device the run is limited to, when one was asked for (or named by the backend's own variable). */
    gpuDevice?: NonNullable<WorkerSettings["gpuDevice"]>,
    /** Whether the run has a GPU to offload to: the asked device, or a GPU llama.cpp uses by itself. */
    hasGpu: boolean,
    vramBudgetBytes?: number
}

/** The choice applied to this machine; a device that does not exist is a one-line error listing those that do. */
export function resolveGpuChoice(hardware: HardwareProfile, choice: GpuChoice): ResolvedGpuChoice {
    const gpuDevice = choice.cpu === true ? undefined : chosenGpuDevice(hardware.devices ?? [], choice.gpuDevice);
    const withBandwidth = choice.gpuBandwidthGBs != null ? withGpuBandwidth(hardware, choice.gpuBandwidthGBs, gpuDevice?.name) : hardware;
    return {
        hardware: withBandwidth,
        ...(gpuDevice != null ? {gpuDevice} : {}),
        hasGpu: choice.cpu !== true && (gpuDevice != null || machineHasGpu(hardware)),
        ...(choice.vramBudgetBytes != null ? {vramBudgetBytes: choice.vramBudgetBytes} : {})
    };
}

/**
 * A GPU llama.cpp uses without being asked: a listed device that is not software and has VRAM, or, where the
 * devices could not be listed, a GPU with VRAM on a GPU backend. A software device (lavapipe) is no GPU here:
 * llama.cpp skips it, and a plan sweeping layers onto it would run a CPU at a fraction of its speed.
 */
export function machineHasGpu(hardware: HardwareProfile): boolean {
    if (hardware.devices != null)
        return hardware.devices.some((device) => device.usedByDefault && device.kind.value !== "software" && (device.vramTotalBytes.value ?? 0) > 0);
    return hardware.backends.used !== "cpu" && hardware.gpus.some((gpu) => (gpu.vramTotalBytes.value ?? 0) > 0);
}

/** The profile with the user's GPU bandwidth on its first GPU (or on the chosen device when no GPU was listed). */
function withGpuBandwidth(hardware: HardwareProfile, gbs: number, deviceName: string | undefined): HardwareProfile {
    const bandwidthGBs = {value: gbs, source: "user" as const, note: "given by the user"};
    const [first, ...rest] = hardware.gpus;
    if (first != null)
        return {...hardware, gpus: [{...first, bandwidthGBs}, ...rest]};
    const none = {value: null, source: "none" as const};
    return {...hardware, gpus: [{name: {value: deviceName ?? "GPU", source: "user"}, vendor: none, vramTotalBytes: none, vramFreeBytes: none, bandwidthGBs}]};
}
