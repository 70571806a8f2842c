// The memory advisor: will this model, with this context, fit on this machine, and how many layers can go
// to the GPU? RAM and VRAM needs come from estimateMemory, the same estimate the bench worker checks before
// a load and records beside each test's measured peak, so the advice and the check give one answer.
import {GgufInsights, readGgufFileInfo, type GgufFileInfo} from "node-llama-cpp";
import {estimateMemory} from "./estimateMemory.js";
import {judgeFit, type MemoryNeeds} from "./judgeFit.js";
import {formatBytes} from "../formatBytes.js";
import type {HardwareProfile, ModelInfo, FitVerdict} from "../types.js";

export interface FitModelOptions {
    /** The model; its `file` is read for the estimate unless `ggufFileInfo` is given. */
    model: Pick<ModelInfo, "file" | "nLayer">,
    contextSize: number,
    /** Judge this many GPU layers ("max" = all) instead of the best split. maxGpuLayers is reported either way. */
    gpuLayers?: number | "max",
    hardware: HardwareProfile,
    /** The model's GGUF info when there is no file (a what-if shape; see syntheticGgufFileInfo). */
    ggufFileInfo?: GgufFileInfo,
    /** Batch size for the context's compute buffers (node-llama-cpp's default when omitted). */
    batchSize?: number,
    /** The flash-attention setting the run will use (the bench default is off). */
    flashAttention?: boolean,
    /** A VRAM budget instead of the device's (a user keeping VRAM free, or a test). */
    vramBudgetBytes?: number
}

export interface MemoryBudget {
    /** Bytes of RAM the model and context may use; null when the machine's RAM is unknown (not judged). */
    ramBytes: number | null,
    /** Bytes of VRAM llama.cpp can use; 0 without a usable GPU. */
    vramBytes: number,
    ramNote: string,
    vramNote: string
}

/** RAM: available (free + reclaimable cache) when known, else total. VRAM: free when known, else total,
 *  and only when llama.cpp has a GPU backend (a GPU it cannot use holds no layers). */
export function memoryBudget(hardware: HardwareProfile): MemoryBudget {
    const memory = hardware.memory;
    const ramBytes = memory.freeBytes.value ?? memory.totalBytes.value ?? null;
    const ramNote = memory.freeBytes.value != null ? "available RAM" : memory.totalBytes.value != null ? "total RAM" : "RAM size unknown: not judged";

    // A device llama.cpp uses by itself (never a software one, which runs only when asked).
    const device = hardware.devices?.find((candidate) => candidate.usedByDefault && candidate.vramTotalBytes.value != null);
    if (device != null) {
        const vram = device.vramFreeBytes.value ?? device.vramTotalBytes.value ?? 0;
        return {ramBytes, vramBytes: vram, ramNote, vramNote: `${device.vramFreeBytes.value != null ? "free" : "total"} VRAM of ${device.name.value ?? "the GPU"}`};
    }
    const gpu = hardware.gpus[0];
    if (gpu == null)
        return {ramBytes, vramBytes: 0, ramNote, vramNote: "no GPU"};
    if (hardware.backends.used === "cpu")
        return {ramBytes, vramBytes: 0, ramNote, vramNote: `${gpu.name.value ?? "the GPU"} is not usable by llama.cpp here (CPU backend)`};
    const vram = gpu.vramFreeBytes.value ?? gpu.vramTotalBytes.value ?? 0;
    return {
        ramBytes,
        vramBytes: vram,
        ramNote,
        vramNote: `${gpu.vramFreeBytes.value != null ? "free" : "total"} VRAM of ${gpu.name.value ?? "the GPU"}`
    };
}

/** RAM and VRAM a model needs for this context, with its largest fitting GPU split and a verdict. */
export async function fitModel(options: FitModelOptions): Promise<FitVerdict> {
    const {model, contextSize, hardware} = options;
    const info = options.ggufFileInfo ?? await readGgufFileInfo(model.file);
    const insights = await GgufInsights.from(info);
    const totalLayers = insights.totalLayers;
    const budget = memoryBudget(hardware);
    if (options.vramBudgetBytes != null) {
        budget.vramBytes = options.vramBudgetBytes;
        budget.vramNote = "VRAM budget given";
    }
    const batchSize = options.batchSize;

    const judged = await judgeFit({
        needs: async (gpuLayers): Promise<MemoryNeeds> => {
            const estimate = await estimateMemory({
                fileInfo: info, gpuLayers, contextSize, flashAttention: options.flashAttention ?? false, deviceInUse: budget.vramBytes > 0,
                cpuFeatures: hardware.cpu.simd.value ?? [],
                ...(batchSize != null ? {batchSize} : {})
            });
            return {ram: estimate.ramRequiredBytes, vram: estimate.vramBytes};
        },
        totalLayers, budget, ...(options.gpuLayers != null ? {requested: options.gpuLayers} : {})
    });
    const {layers, maxGpuLayers, vramFits, ramFits, needs: need} = judged;

    let verdict: FitVerdict["verdict"];
    if (!vramFits || !ramFits)
        verdict = "does not fit";
    else if (layers === 0)
        verdict = "CPU only";
    else if (layers >= totalLayers)
        verdict = "fits on GPU";
    else
        verdict = "partial offload";

    const parts = [
        `${layers}/${totalLayers} layers on the GPU at context ${contextSize}: needs ${formatBytes(need.ram)} RAM` +
        (layers > 0 ? ` and ${formatBytes(need.vram)} VRAM` : ""),
        budget.ramBytes != null ? `${budget.ramNote} ${formatBytes(budget.ramBytes)}` : budget.ramNote,
        budget.vramBytes > 0 ? `${budget.vramNote} ${formatBytes(budget.vramBytes)}, up to ${maxGpuLayers} layers fit` : budget.vramNote
    ];
    if (!vramFits)
        parts.push(`${layers} GPU layers exceed the VRAM`);
    else if (!ramFits)
        parts.push("not enough RAM");
    return {verdict, maxGpuLayers, ramBytes: need.ram, vramBytes: layers > 0 ? need.vram : 0, detail: parts.join("; ")};
}
