// Bytes one KV-cache value takes in llama.cpp's cache, by cache type: f16 2 bytes, q8_0 34 bytes per block of 32
// values, q4_0 18 per 32 (ggml's block sizes, the one table in models/ggmlTypes).
import type {LlamaKvCacheType} from "../types.js";
import {GGML_TYPE, GGML_TYPE_TRAITS} from "../models/ggmlTypes.js";

/** Bytes per cached K or V value of this type (absent: f16, llama.cpp's default). */
export function kvValueBytes(type: LlamaKvCacheType = "f16"): number {
    const traits = GGML_TYPE_TRAITS.get(GGML_TYPE[type.toUpperCase() as Uppercase<LlamaKvCacheType>])!;
    return traits.bytesPerBlock / traits.blockSize;
}
