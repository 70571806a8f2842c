import type {SweepSpec} from "../types.js";

export interface DefaultPlanMachine {
    /** Physical cores; the thread sweep goes up to these and never beyond (SMT siblings only contend). */
    physicalCores: number,
    hasGpu: boolean,
    /** The model's layer count as llama.cpp offloads them (the output layer is one), when known: with a GPU
     *  the plan then sweeps 0, a quarter, a half, three quarters and all of them. */
    gpuLayerCount?: number,
    /** The largest layer count the fit advisor says fits in the VRAM (planMachine), when known: the sweep adds it,
     *  and leaves out the counts above it, which the fit check would refuse before they load. */
    maxFittingGpuLayers?: number
}

/** Prompt and generated tokens of the default plan with a GPU; without one they are scaled down (see defaultPlan). */
export const GPU_PLAN_TOKENS = {nPrompt: 512, nGen: 128} as const;

/**
 * The one-click plan: the fastest thread count, found for each model by a short probe ("auto"), a GPU layer sweep
 * when a GPU exists, and llama-bench-like pp/tg sizes scaled down on CPU-only machines so a 1B
 * model's sweep finishes in about a minute. No fixed thread count is right for every model: on a 2-core VM the
 * physical cores (2) gave 0.09 of the 1-thread rate on a 15 MB model through node-llama-cpp, and were fastest on a 1B.
 */
export function defaultPlan(machine: DefaultPlanMachine, models: string[]): SweepSpec {
    const cores = Math.max(1, Math.floor(machine.physicalCores));
    return {
        models,
        gpuLayers: machine.hasGpu ? gpuLayerSweep(machine.gpuLayerCount, machine.maxFittingGpuLayers) : [0],
        threads: cores > 1 ? ["auto"] : [1],
        batchSizes: [512],
        nPrompt: [machine.hasGpu ? GPU_PLAN_TOKENS.nPrompt : 128],
        nGen: [machine.hasGpu ? GPU_PLAN_TOKENS.nGen : 32],
        reps: 3,
        flashAttention: [false],
        // llama.cpp's own rate beside rows where node-llama-cpp falls short of it, when a llama-bench is at hand
        nativeWhereShort: true
    };
}

/** 0, 1/4, 1/2, 3/4 and all of the layers (distinct), with the largest count that fits in place of those above it;
 *  all-or-nothing when the count is unknown. */
function gpuLayerSweep(count: number | undefined, maxFitting: number | undefined): Array<number | "max"> {
    const known = count != null && Number.isInteger(count) && count > 0;
    const quarters = known && count >= 4 ? [1, 2, 3].map((quarter) => Math.round(count * quarter / 4)) : [];
    if (!known || maxFitting == null || !Number.isInteger(maxFitting) || maxFitting >= count)
        return [0, ...new Set(quarters), "max"];
    const fit = Math.max(0, maxFitting);
    return [...new Set([0, ...quarters.filter((layers) => layers < fit), fit])];
}
