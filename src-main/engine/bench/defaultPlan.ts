import type {SweepSpec} from "../types.js";

export interface DefaultPlanMachine {
    /** Physical cores; the thread sweep goes up to these and never beyond (SMT siblings only contend). */
    physicalCores: number,
    hasGpu: boolean,
    /** The model's layer count as llama.cpp offloads them (the output layer is one), when known: with a GPU
     *  the plan then sweeps 0, a quarter, a half, three quarters and all of them. */
    gpuLayerCount?: number
}

/**
 * The one-click plan: the fastest thread count, found for each model by a short probe ("auto"), all-or-nothing
 * GPU offload when a GPU exists, and llama-bench-like pp/tg sizes scaled down on CPU-only machines so a 1B
 * model's sweep finishes in about a minute. No fixed thread count is right for every model: on a 2-core VM the
 * physical cores (2) gave 0.09 of the 1-thread rate on a 15 MB model through node-llama-cpp, and were fastest on a 1B.
 */
export function defaultPlan(machine: DefaultPlanMachine, models: string[]): SweepSpec {
    const cores = Math.max(1, Math.floor(machine.physicalCores));
    return {
        models,
        gpuLayers: machine.hasGpu ? gpuLayerSweep(machine.gpuLayerCount) : [0],
        threads: cores > 1 ? ["auto"] : [1],
        batchSizes: [512],
        nPrompt: [machine.hasGpu ? 512 : 128],
        nGen: [machine.hasGpu ? 128 : 32],
        reps: 3,
        flashAttention: [false]
    };
}

/** 0, 1/4, 1/2, 3/4 and all of the layers (distinct), or all-or-nothing when the count is unknown. */
function gpuLayerSweep(count: number | undefined): Array<number | "max"> {
    if (count == null || !Number.isInteger(count) || count < 4)
        return [0, "max"];
    const quarters = [1, 2, 3].map((quarter) => Math.round(count * quarter / 4));
    return [0, ...new Set(quarters), "max"];
}
