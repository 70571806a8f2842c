// What the default plan needs to know of this machine and the models: physical cores, whether there is a GPU,
// and for one model on a GPU its layer count and the largest count that fits in the VRAM (the fit advisor's
// answer at the plan's context size). The CLI and the app's default plan both ask here.
import {GgufInsights, readGgufFileInfo, type GgufFileInfo} from "node-llama-cpp";
import type {HardwareProfile} from "../types.js";
import {GPU_PLAN_TOKENS, type DefaultPlanMachine} from "./defaultPlan.js";
import type {ResolvedGpuChoice} from "./resolveGpuChoice.js";
import {physicalCoresOf} from "../hardware/physicalCoresOf.js";
import {validateGguf} from "../models/validateGguf.js";
import {fitModel, memoryBudget} from "../ceiling/fit.js";

export interface PlanMachineOptions {
    hardware: HardwareProfile,
    models: readonly string[],
    gpu: Pick<ResolvedGpuChoice, "hasGpu" | "gpuDevice" | "vramBudgetBytes">,
    /** The model's GGUF info instead of reading models[0] (a what-if shape, a test). */
    ggufFileInfo?: GgufFileInfo
}

export async function planMachine(options: PlanMachineOptions): Promise<DefaultPlanMachine> {
    const {hardware, models, gpu} = options;
    const machine: DefaultPlanMachine = {physicalCores: physicalCoresOf(hardware), hasGpu: gpu.hasGpu};
    const file = models[0];
    if (!gpu.hasGpu || models.length !== 1 || file == null)
        return machine;
    // Validated first: node-llama-cpp's parser can spin for minutes on a malformed header. A file that cannot be
    // read gets the all-or-nothing sweep; its test then fails with the file's own one-line reason.
    const info = options.ggufFileInfo ?? await validateGguf(file).then(() => readGgufFileInfo(file), () => null).catch(() => null);
    if (info == null)
        return machine;
    const totalLayers = (await GgufInsights.from(info)).totalLayers;
    // An asked device (not one llama.cpp uses by itself) is judged by its own memory.
    const asked = gpu.gpuDevice != null ? hardware.devices?.find((device) => device.index === gpu.gpuDevice!.index) : undefined;
    const askedVram = asked != null ? asked.vramFreeBytes.value ?? asked.vramTotalBytes.value ?? undefined : undefined;
    const vramBudgetBytes = gpu.vramBudgetBytes ?? askedVram;
    // VRAM of unknown size says nothing of what fits: the plan then sweeps all the quarters.
    if (!((vramBudgetBytes ?? memoryBudget(hardware).vramBytes) > 0))
        return {...machine, gpuLayerCount: totalLayers};
    const fit = await fitModel({
        model: {file, nLayer: totalLayers - 1},
        contextSize: GPU_PLAN_TOKENS.nPrompt + GPU_PLAN_TOKENS.nGen + 1,
        hardware,
        ggufFileInfo: info,
        ...(vramBudgetBytes != null ? {vramBudgetBytes} : {})
    }).catch(() => null);
    return {...machine, gpuLayerCount: totalLayers, ...(fit != null ? {maxFittingGpuLayers: fit.maxGpuLayers} : {})};
}
