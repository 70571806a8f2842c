// Turns a sweep (lists of values, as on llama-bench's command line) into the ordered list of tests.
import type {SweepSpec, TestConfig, ThreadsChoice} from "../types.js";

/** A test as planned: its threads may still be "auto", resolved by a probe when its model is loaded. */
export type PlannedTest = Omit<TestConfig, "threads"> & {threads: ThreadsChoice};

/**
 * The cartesian product of the sweep's lists, one TestConfig per combination, ordered so the model is
 * reloaded as rarely as possible: grouped by model (in the order given), then gpuLayers (the other load
 * parameter), then the context parameters threads, batch size and flash attention, and innermost the
 * cheap nPrompt / nGen.
 *
 * contextSize is set in every config: the sweep's contextSize when given, else nPrompt + nGen (as
 * llama-bench does). Combinations with nPrompt = nGen = 0 measure nothing and are left out (llama-bench
 * skips 0 too). Throws a RangeError when a given contextSize cannot hold nPrompt + nGen tokens, before
 * anything runs rather than hours into a sweep.
 */
export function expandSweep(spec: SweepSpec): PlannedTest[] {
    const tests: PlannedTest[] = [];

    for (const modelPath of spec.models)
        for (const gpuLayers of spec.gpuLayers)
            for (const threads of spec.threads)
                for (const batchSize of spec.batchSizes)
                    for (const flashAttention of spec.flashAttention)
                        for (const nPrompt of spec.nPrompt)
                            for (const nGen of spec.nGen) {
                                if (nPrompt === 0 && nGen === 0)
                                    continue;

                                const contextSize = spec.contextSize ?? nPrompt + nGen;
                                if (contextSize < nPrompt + nGen)
                                    throw new RangeError(
                                        `Context size ${contextSize} cannot hold n_prompt ${nPrompt} + n_gen ${nGen} tokens`
                                    );

                                tests.push({
                                    modelPath, gpuLayers, threads, batchSize, contextSize,
                                    nPrompt, nGen, reps: spec.reps, flashAttention
                                });
                            }

    return tests;
}

/**
 * What a loaded model depends on: when this key changes between consecutive tests the runner must
 * reload the model; otherwise it only creates a new context.
 */
export function loadKey(config: Pick<TestConfig, "modelPath" | "gpuLayers">): string {
    return JSON.stringify([config.modelPath, config.gpuLayers]);
}
