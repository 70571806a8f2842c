// Model shapes the synthetic writer knows by name. Speed depends on shape and weight type, not on the
// weights' values, so a synthetic file of a real model's shape benchmarks like that model.
import type {ModelShape} from "../types.js";

export const SHAPE_PRESETS = {
    /** For tests: loads and generates in milliseconds. Row lengths are multiples of 256 so K-quants apply. */
    tiny: {vocabSize: 512, nEmbd: 256, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 512, contextLength: 512},
    /**
     * Small and mid-size shapes (~17 MB and ~120 MB at Q4_0) where a token takes well under a millisecond to a few:
     * there, per-decode overhead (thread start-up, the binding) decides the rate, and thread counts behave unlike
     * on a 1B model. Sized like the 15 MB and 116 MB models the thread-scaling figures were first measured on.
     */
    "30m": {vocabSize: 8192, nEmbd: 512, nLayer: 8, nHead: 8, nHeadKv: 8, nFf: 1024, contextLength: 2048},
    "220m": {vocabSize: 8192, nEmbd: 1024, nLayer: 16, nHead: 16, nHeadKv: 16, nFf: 2816, contextLength: 2048},
    /** TinyLlama-1.1B. */
    "1b": {vocabSize: 32000, nEmbd: 2048, nLayer: 22, nHead: 32, nHeadKv: 4, nFf: 5632, contextLength: 2048},
    /** The original LLaMA shapes. */
    "7b": {vocabSize: 32000, nEmbd: 4096, nLayer: 32, nHead: 32, nHeadKv: 32, nFf: 11008, contextLength: 2048},
    "13b": {vocabSize: 32000, nEmbd: 5120, nLayer: 40, nHead: 40, nHeadKv: 40, nFf: 13824, contextLength: 2048},
    "30b": {vocabSize: 32000, nEmbd: 6656, nLayer: 60, nHead: 52, nHeadKv: 52, nFf: 17920, contextLength: 2048},
    "65b": {vocabSize: 32000, nEmbd: 8192, nLayer: 80, nHead: 64, nHeadKv: 64, nFf: 22016, contextLength: 2048},
    /** LLaMA-2-70B: grouped-query attention with 8 key/value heads. */
    "70b": {vocabSize: 32000, nEmbd: 8192, nLayer: 80, nHead: 64, nHeadKv: 8, nFf: 28672, contextLength: 4096}
} as const satisfies Readonly<Record<string, ModelShape>>;

export type ShapeName = keyof typeof SHAPE_PRESETS;
/** The shape names, in the table's order: the CLI's choices, the app's suggestions, the error's list. */
export const SHAPE_NAMES = Object.keys(SHAPE_PRESETS) as readonly ShapeName[];

function isShapeName(name: string): name is ShapeName {
    return Object.hasOwn(SHAPE_PRESETS, name);
}

/** The preset of this name (case-insensitive); throws listing the valid names. */
export function resolveShape(name: string): ModelShape {
    const key = name.toLowerCase();
    if (!isShapeName(key))
        throw new Error(`Unknown model shape "${name}"; valid shapes: ${SHAPE_NAMES.join(", ")}`);
    return {...SHAPE_PRESETS[key]};
}
