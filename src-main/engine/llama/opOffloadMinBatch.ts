// The smallest batch whose matrix work llama.cpp sends to a GPU device although the weights sit on the CPU side
// ("op offload"): ggml-vulkan's offload_op (ggml-vulkan.cpp, op_offload_min_batch_size) and ggml-cuda's both take
// 32 tokens, or the GGML_OP_OFFLOAD_MIN_BATCH environment variable. Smaller batches (generation, short prompts)
// run where their weights are. Measured on lavapipe, 220m model at 0 layers: an 8-token prompt left the device
// idle (84.5 t/s, as the CPU), a 32-token one ran on it (3.0 t/s).
export const DEFAULT_OP_OFFLOAD_MIN_BATCH = 32;

/** The op-offload threshold llama.cpp uses in a process with this environment. */
export function opOffloadMinBatch(env: Readonly<Record<string, string | undefined>>): number {
    const asked = Number.parseInt(env.GGML_OP_OFFLOAD_MIN_BATCH ?? "", 10);
    return Number.isFinite(asked) && asked > 0 ? asked : DEFAULT_OP_OFFLOAD_MIN_BATCH;
}
