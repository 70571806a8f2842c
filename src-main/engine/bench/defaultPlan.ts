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
 * The one-click plan: a thread sweep up to the physical cores, all-or-nothing GPU offload when a GPU
 * exists, and llama-bench-like pp/tg sizes scaled down on CPU-only machines so a 1B model's sweep
 * finishes in about a minute.
 */
export function defaultPlan(machine: DefaultPlanMachine, models: string[]): SweepSpec {
    const cores = Math.max(1, Math.floor(machine.physicalCores));
    return {
        models,
        gpuLayers: machine.hasGpu ? gpuLayerSweep(machine.gpuLayerCount) : [0],
        threads: threadSweep(cores),
        batchSizes: [512],
        nPrompt: [machine.hasGpu ? 512 : 128],
        nGen: [machine.hasGpu ? 128 : 32],
        reps: 3,
        flashAttention: [false]
    };
}

/** 1, 2, 4, ... up to the core count, always ending at the core count itself. */
function threadSweep(cores: number): number[] {
    const threads: number[] = [];
    for (let t = 1; t < cores; t *= 2)
        threads.push(t);
    threads.push(cores);
    return threads;
}

/** 0, 1/4, 1/2, 3/4 and all of the layers (distinct), or all-or-nothing when the count is unknown. */
function gpuLayerSweep(count: number | undefined): Array<number | "max"> {
    if (count == null || !Number.isInteger(count) || count < 4)
        return [0, "max"];
    const quarters = [1, 2, 3].map((quarter) => Math.round(count * quarter / 4));
    return [0, ...new Set(quarters), "max"];
}
