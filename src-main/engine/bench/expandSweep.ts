// Turns a sweep (lists of values, as on llama-bench's command line) into the ordered list of tests.
import type {SweepSpec, TestConfig, ThreadsChoice} from "../types.js";

/** A test as planned: its threads may still be "auto", resolved by a probe when its model is loaded. */
export type PlannedTest = Omit<TestConfig, "threads"> & {threads: ThreadsChoice};

/**
 * The cartesian product of the sweep's lists, one TestConfig per combination, ordered so the model is
 * reloaded as rarely as possible: grouped by model (in the order given), then the other load parameters
 * mmap and gpuLayers, then the context parameters threads, batch size, micro-batch, flash attention and
 * the KV-cache types, and innermost the cheap depth, nPrompt and nGen.
 *
 * contextSize is set in every config: the sweep's contextSize when given, else nDepth + nPrompt + nGen (as
 * llama-bench does). Every config carries its depth, KV types, micro-batch and mmap setting, defaults
 * included, so each row says what ran. Combinations with nPrompt = nGen = 0 measure nothing and are left
 * out (llama-bench skips 0 too). Throws a RangeError when a given contextSize cannot hold the depth and the
 * test's tokens, before anything runs rather than hours into a sweep.
 */
/** The context a test gets when none is asked for: n_depth + n_prompt + n_gen, as llama-bench (the one home of this rule). */
export function defaultContextSize(test: Pick<TestConfig, "nDepth" | "nPrompt" | "nGen" | "contextSize">): number {
    return test.contextSize ?? (test.nDepth ?? 0) + test.nPrompt + test.nGen;
}

export function expandSweep(spec: SweepSpec): PlannedTest[] {
    assertSweepSize(spec);
    const axes = sweepAxes(spec);
    // The load settings, then the context settings, each in sweep order (the first list outermost).
    const loads = product(axes.useMmap, spec.gpuLayers);
    const contexts = product(spec.threads, spec.batchSizes, axes.ubatchSizes, spec.flashAttention, axes.cacheTypeK, axes.cacheTypeV);
    const sizes = product(axes.nDepth, spec.nPrompt, spec.nGen);
    const tests: PlannedTest[] = [];

    for (const modelPath of spec.models)
        for (const [useMmap, gpuLayers] of loads)
            for (const [threads, batchSize, ubatch, flashAttention, typeK, typeV] of contexts)
                for (const [nDepth, nPrompt, nGen] of sizes) {
                    if (nPrompt === 0 && nGen === 0)
                        continue;

                    const contextSize = defaultContextSize({nDepth, nPrompt, nGen, ...(spec.contextSize != null ? {contextSize: spec.contextSize} : {})});
                    if (contextSize < nDepth + nPrompt + nGen)
                        throw new RangeError(
                            `Context size ${contextSize} cannot hold ${nDepth > 0 ? `n_depth ${nDepth} + ` : ""}n_prompt ${nPrompt} + n_gen ${nGen} tokens`
                        );

                    tests.push({
                        modelPath, gpuLayers, threads, batchSize, contextSize,
                        nPrompt, nGen, reps: spec.reps, flashAttention,
                        nDepth, typeK, typeV, ubatchSize: ubatch ?? batchSize, useMmap
                    });
                }

    return tests;
}

/** The cartesian product of lists, the first list outermost. */
function product<T extends unknown[]>(...lists: {[K in keyof T]: readonly T[K][]}): T[] {
    let tuples: unknown[][] = [[]];
    for (const list of lists as ReadonlyArray<readonly unknown[]>)
        tuples = tuples.flatMap((tuple) => list.map((value) => [...tuple, value]));
    return tuples as T[];
}

/** The sweep's optional lists with their defaults: what ran before they existed (undefined micro-batch: the batch size). */
function sweepAxes(spec: SweepSpec) {
    return {
        nDepth: spec.nDepth ?? [0],
        cacheTypeK: spec.cacheTypeK ?? ["f16" as const],
        cacheTypeV: spec.cacheTypeV ?? ["f16" as const],
        ubatchSizes: spec.ubatchSizes ?? [undefined],
        useMmap: spec.useMmap ?? [true]
    };
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
    const axes = sweepAxes(spec);
    return spec.models.length * spec.gpuLayers.length * spec.threads.length * spec.batchSizes.length *
        spec.flashAttention.length * sizes * axes.nDepth.length * axes.cacheTypeK.length * axes.cacheTypeV.length *
        axes.ubatchSizes.length * axes.useMmap.length;
}

/** Throws a one-line RangeError, with the count, for a sweep of more than MAX_SWEEP_TESTS tests. */
export function assertSweepSize(spec: SweepSpec): void {
    const count = countSweepTests(spec);
    if (count > MAX_SWEEP_TESTS) {
        const lists = [
            [spec.models.length, "model"], [spec.gpuLayers.length, "GPU layer count"], [spec.threads.length, "thread count"],
            [spec.batchSizes.length, "batch size"], [spec.flashAttention.length, "flash attention setting"],
            [spec.nPrompt.length, "prompt size"], [spec.nGen.length, "generation size"],
            [spec.nDepth?.length ?? 1, "depth"], [spec.cacheTypeK?.length ?? 1, "K cache type"], [spec.cacheTypeV?.length ?? 1, "V cache type"],
            [spec.ubatchSizes?.length ?? 1, "micro-batch size"], [spec.useMmap?.length ?? 1, "mmap setting"]
        ] as const;
        throw new RangeError(
            `the sweep has ${count.toLocaleString("en-US")} tests (${lists.filter(([n], i) => n > 1 || i < 7).map(([n, what]) => `${n} ${what}${n === 1 ? "" : "s"}`).join(" x ")}); ` +
            `at most ${MAX_SWEEP_TESTS.toLocaleString("en-US")} can run in one sweep: shorten a list`
        );
    }
}

/**
 * What a loaded model depends on: when this key changes between consecutive tests the runner must
 * reload the model; otherwise it only creates a new context. mmap is a load setting (absent: mapped).
 */
export function loadKey(config: Pick<TestConfig, "modelPath" | "gpuLayers" | "useMmap">): string {
    return JSON.stringify([config.modelPath, config.gpuLayers, ...(config.useMmap === false ? [false] : [])]);
}
