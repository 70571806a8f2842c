import {readFile, stat} from "node:fs/promises";
import os from "node:os";
import {readGgufFileInfo, type Llama} from "node-llama-cpp";
import {validateGguf} from "../models/validateGguf.js";
import {estimateMemory, type MemoryEstimate} from "../ceiling/estimateMemory.js";
import {judgeFit} from "../ceiling/judgeFit.js";
import type {DeviceKind, LlamaKvCacheType} from "../types.js";
import {formatBytes} from "../formatBytes.js";


export interface FitCheckOptions {
    /** The RAM budget; default what the OS says is available now. */
    ramAvailableBytes?: number,
    /** The VRAM budget of the device(s) llama.cpp uses; default their free memory (from `llama`), 0 without one. */
    vramAvailableBytes?: number,
    /** The llama.cpp binaries this process benchmarks with (see InspectModelOptions.llama for why). */
    llama?: Llama,
    /** What the load will really use; they change the estimate (see estimateMemory). */
    flashAttention?: boolean,
    batchSize?: number,
    typeK?: LlamaKvCacheType,
    typeV?: LlamaKvCacheType,
    useMmap?: boolean,
    cpuFeatures?: readonly string[],
    gpuKind?: DeviceKind | null,
    /** Names the device in the reason. */
    deviceName?: string
}

/**
 * Refuses a load that cannot fit, before anything loads: a model larger than the available RAM would swap
 * or be killed by the OS mid-benchmark, taking minutes to fail, and one larger than the VRAM fails inside
 * llama.cpp with a less telling reason. The one estimate is estimateMemory's, the fit advisor's. Validates
 * the file first (bounded reads), because node-llama-cpp's parser can spin for minutes on a malformed header.
 * Returns the file size and the estimate.
 */
export async function assertModelFitsInMemory(
    modelPath: string, gpuLayers: number | "max", contextSize: number, options: FitCheckOptions = {}
): Promise<number> {
    return (await checkModelFits(modelPath, gpuLayers, contextSize, options)).fileBytes;
}

export async function checkModelFits(
    modelPath: string, gpuLayers: number | "max", contextSize: number, options: FitCheckOptions = {}
): Promise<{fileBytes: number, estimate: MemoryEstimate}> {
    await validateGguf(modelPath);
    const {size} = await stat(modelPath);
    const fileInfo = await readGgufFileInfo(modelPath);
    // Layers go to a device only where llama.cpp has one (a GPU binary with no usable device runs on the CPU).
    const hasDevice = options.llama != null
        ? options.llama.gpu !== false && (await options.llama.getGpuDeviceNames()).length > 0
        : options.vramAvailableBytes != null;
    const estimateFor = (layers: number | "max") => estimateMemory({
        fileInfo, gpuLayers: layers, contextSize, deviceInUse: hasDevice,
        flashAttention: options.flashAttention ?? false,
        cpuFeatures: options.cpuFeatures ?? [],
        ...(options.batchSize != null ? {batchSize: options.batchSize} : {}),
        ...(options.typeK != null ? {typeK: options.typeK} : {}),
        ...(options.typeV != null ? {typeV: options.typeV} : {}),
        ...(options.useMmap != null ? {useMmap: options.useMmap} : {}),
        ...(options.gpuKind != null ? {gpuKind: options.gpuKind} : {}),
        ...(options.llama != null ? {llama: options.llama} : {})
    });
    const estimates = new Map<number, MemoryEstimate>();
    const first = await estimateFor(hasDevice ? gpuLayers : 0);
    estimates.set(first.offloadedLayers, first);
    const vramAvailable = hasDevice ? options.vramAvailableBytes ?? await freeVramBytes(options.llama) : 0;
    const ramAvailable = options.ramAvailableBytes ?? await availableRamBytes();
    // The fit advisor's rule (judgeFit), with this run's estimate and the memory free now.
    const fit = await judgeFit({
        needs: async (layers) => {
            const estimate = estimates.get(layers) ?? await estimateFor(layers);
            estimates.set(layers, estimate);
            return {ram: estimate.ramRequiredBytes, vram: estimate.vramBytes};
        },
        totalLayers: first.totalLayers,
        budget: {ramBytes: ramAvailable, vramBytes: vramAvailable},
        requested: first.offloadedLayers
    });
    if (!fit.vramFits)
        throw new Error(
            `does not fit in VRAM: ${fit.layers}/${fit.totalLayers} layers need ${formatBytes(fit.needs.vram)} of VRAM, ` +
            `${formatBytes(vramAvailable)} free${options.deviceName != null ? ` on ${options.deviceName}` : ""}; at most ${fit.maxGpuLayers} layers fit (--gpu-layers ${fit.maxGpuLayers})`
        );
    if (!fit.ramFits)
        throw new Error(`does not fit in memory: needs ${formatBytes(fit.needs.ram)} of RAM, ${formatBytes(ramAvailable)} available`);
    return {fileBytes: size, estimate: first};
}


/** Free memory of the devices llama.cpp uses; 0 when it uses none. */
async function freeVramBytes(llama: Llama | undefined): Promise<number> {
    if (llama == null || llama.gpu === false || (await llama.getGpuDeviceNames()).length === 0)
        return 0;
    return (await llama.getVramState()).free;
}

/** Linux's MemAvailable counts reclaimable page cache (os.freemem() does not); elsewhere freemem. */
async function availableRamBytes(): Promise<number> {
    if (process.platform === "linux") {
        try {
            const match = /^MemAvailable:\s+(\d+) kB/m.exec(await readFile("/proc/meminfo", "utf8"));
            if (match != null)
                return Number(match[1]) * 1024;
        } catch {
            // fall through
        }
    }
    return os.freemem();
}
