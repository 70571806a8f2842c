// Which KV-cache settings llama.cpp refuses, said before a model is loaded rather than after.
import type {LlamaKvCacheType, TestConfig} from "../types.js";

/** Whether ggml stores this cache type in quantized blocks (every type llama.cpp caches in but the float ones). */
export function isQuantizedKvType(type: LlamaKvCacheType | undefined): boolean {
    return type != null && type !== "f16" && type !== "f32" && type !== "bf16";
}

/**
 * One line when llama.cpp will refuse this test's KV cache, else null. llama.cpp (llama_init_from_model, in the
 * release node-llama-cpp 3.22.1 ships) refuses a quantized V cache without flash attention: "quantized V cache
 * requires flash_attn to be enabled"; node-llama-cpp passes flash attention on or off as asked, never "auto", so it
 * is not turned on for it. llama-bench refuses the same test.
 */
export function kvCacheTypeProblem(config: Pick<TestConfig, "typeV" | "flashAttention">): string | null {
    if (isQuantizedKvType(config.typeV) && !config.flashAttention)
        return `a quantized V cache (type_v ${config.typeV}) needs flash attention, which this test turns off: llama.cpp refuses it (use -fa 1)`;
    return null;
}
