// What a row's sweep axes did not do exactly as asked, in one line each, so no axis is ever silently ignored.
import type {Engine, TestConfig} from "../types.js";

/**
 * The micro-batch llama.cpp really computes: n_ubatch, capped at n_batch (llama_context's constructor). node-llama-cpp
 * 3.22.1 has no n_ubatch option: its AddonContext sets n_ubatch = n_batch, and its JavaScript queue hands llama.cpp
 * at most batchSize tokens per decode. So LlamaMeter's runner creates the context with this as its batch size: the
 * prompt reaches llama.cpp in micro-batches of this size, which is how llama.cpp splits a larger n_batch itself.
 */
export function effectiveUbatch(config: Pick<TestConfig, "batchSize" | "ubatchSize">): number {
    return Math.min(config.batchSize, config.ubatchSize ?? config.batchSize);
}

/** One line per axis of this test that the engine could not apply exactly as asked; empty when all were. */
export function sweepAxisNotes(config: TestConfig, engine: Engine): string[] {
    const notes: string[] = [];
    const ubatch = config.ubatchSize;
    if (ubatch != null && ubatch > config.batchSize)
        notes.push(`n_ubatch ${ubatch} is above n_batch ${config.batchSize}: llama.cpp caps the micro-batch at n_batch, so it was ${config.batchSize}`);
    else if (ubatch != null && ubatch < config.batchSize && engine === "llamameter")
        notes.push(`node-llama-cpp 3.22.1 has no n_ubatch setting (it sets n_ubatch = n_batch): this row's context ran n_batch = n_ubatch = ${ubatch}, ` +
            `so the prompt reached llama.cpp in ${ubatch}-token micro-batches, as llama.cpp splits an n_batch ${config.batchSize} batch itself`);
    return notes;
}
