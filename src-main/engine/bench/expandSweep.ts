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
/** The context a test gets when none is asked for: n_prompt + n_gen, as llama-bench (the one home of this rule). */
export function defaultContextSize(test: Pick<TestConfig, "nPrompt" | "nGen" | "contextSize">): number {
    return test.contextSize ?? test.nPrompt + test.nGen;
}

export function expandSweep(spec: SweepSpec): PlannedTest[] {
    assertSweepSize(spec);
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

                                const contextSize = defaultContextSize({nPrompt, nGen, ...(spec.contextSize != null ? {contextSize: spec.contextSize} : {})});
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
 * The most tests one sweep may expand into. Each list is capped by the API schema, but their product
 * is not (32 models x 64 layer counts x 32 x 32 x 2 x 32 x 32 = 4.29 billion): a 67-million-test
 * startBench ran browser mode out of memory in 24 s (V8 heap 5.1 GB) while expanding. 10,000 tests is
 * weeks of benchmarking at one second each, far beyond any real sweep.
 */
export const MAX_SWEEP_TESTS = 10_000;

/** How many tests expandSweep makes of this spec, counted without expanding it. */
export function countSweepTests(spec: SweepSpec): number {
    const zeros = (list: readonly number[]) => list.filter((n) => n === 0).length;
    // nPrompt = nGen = 0 measures nothing and is left out, as in expandSweep.
    const sizes = spec.nPrompt.length * spec.nGen.length - zeros(spec.nPrompt) * zeros(spec.nGen);
    return spec.models.length * spec.gpuLayers.length * spec.threads.length * spec.batchSizes.length *
        spec.flashAttention.length * sizes;
}

/** Throws a one-line RangeError, with the count, for a sweep of more than MAX_SWEEP_TESTS tests. */
export function assertSweepSize(spec: SweepSpec): void {
    const count = countSweepTests(spec);
    if (count > MAX_SWEEP_TESTS) {
        const lists = [
            [spec.models.length, "model"], [spec.gpuLayers.length, "GPU layer count"], [spec.threads.length, "thread count"],
            [spec.batchSizes.length, "batch size"], [spec.flashAttention.length, "flash attention setting"],
            [spec.nPrompt.length, "prompt size"], [spec.nGen.length, "generation size"]
        ] as const;
        throw new RangeError(
            `the sweep has ${count.toLocaleString("en-US")} tests (${lists.map(([n, what]) => `${n} ${what}${n === 1 ? "" : "s"}`).join(" x ")}); ` +
            `at most ${MAX_SWEEP_TESTS.toLocaleString("en-US")} can run in one sweep: shorten a list`
        );
    }
}

/**
 * What a loaded model depends on: when this key changes between consecutive tests the runner must
 * reload the model; otherwise it only creates a new context.
 */
export function loadKey(config: Pick<TestConfig, "modelPath" | "gpuLayers">): string {
    return JSON.stringify([config.modelPath, config.gpuLayers]);
}
