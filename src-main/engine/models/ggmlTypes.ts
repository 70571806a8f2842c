// GGML tensor types as GGUF files store them: the `ggml_type` ids, block sizes and bytes per block.
// The table mirrors ggml's type_traits in the llama.cpp release node-llama-cpp 3.22.1 ships (checked
// against its bindings' getTypeSizeForGgmlType / getBlockSizeForGgmlType in a model test), so sizes can be
// computed without loading the native addon.
import type {WeightType} from "../types.js";

/** GGUF `ggml_type` ids (enum ggml_type in ggml.h). */
export const GGML_TYPE = {
    F32: 0,
    F16: 1,
    Q4_0: 2,
    Q4_1: 3,
    Q5_0: 6,
    Q5_1: 7,
    Q8_0: 8,
    Q8_1: 9,
    Q2_K: 10,
    Q3_K: 11,
    Q4_K: 12,
    Q5_K: 13,
    Q6_K: 14,
    Q8_K: 15,
    IQ2_XXS: 16,
    IQ2_XS: 17,
    IQ3_XXS: 18,
    IQ1_S: 19,
    IQ4_NL: 20,
    IQ3_S: 21,
    IQ2_S: 22,
    IQ4_XS: 23,
    I8: 24,
    I16: 25,
    I32: 26,
    I64: 27,
    F64: 28,
    IQ1_M: 29,
    BF16: 30,
    TQ1_0: 34,
    TQ2_0: 35,
    MXFP4: 39,
    NVFP4: 40,
    Q1_0: 41,
    Q2_0: 42
} as const;

export type GgmlTypeName = keyof typeof GGML_TYPE;

export interface GgmlTypeTraits {
    id: number,
    name: GgmlTypeName,
    /** Elements per block (1 for plain float/int types). */
    blockSize: number,
    /** Bytes per block. */
    bytesPerBlock: number
}

const traitsList: Array<[GgmlTypeName, number, number]> = [
    ["F32", 1, 4], ["F16", 1, 2], ["Q4_0", 32, 18], ["Q4_1", 32, 20], ["Q5_0", 32, 22], ["Q5_1", 32, 24],
    ["Q8_0", 32, 34], ["Q8_1", 32, 36], ["Q2_K", 256, 84], ["Q3_K", 256, 110], ["Q4_K", 256, 144],
    ["Q5_K", 256, 176], ["Q6_K", 256, 210], ["Q8_K", 256, 292], ["IQ2_XXS", 256, 66], ["IQ2_XS", 256, 74],
    ["IQ3_XXS", 256, 98], ["IQ1_S", 256, 50], ["IQ4_NL", 32, 18], ["IQ3_S", 256, 110], ["IQ2_S", 256, 82],
    ["IQ4_XS", 256, 136], ["I8", 1, 1], ["I16", 1, 2], ["I32", 1, 4], ["I64", 1, 8], ["F64", 1, 8],
    ["IQ1_M", 256, 56], ["BF16", 1, 2], ["TQ1_0", 256, 54], ["TQ2_0", 256, 66], ["MXFP4", 32, 17],
    ["NVFP4", 64, 36], ["Q1_0", 128, 18], ["Q2_0", 64, 18]
];

/** Traits by type id, for every type llama.cpp can load from a GGUF file. */
export const GGML_TYPE_TRAITS: ReadonlyMap<number, GgmlTypeTraits> = new Map(
    traitsList.map(([name, blockSize, bytesPerBlock]) => [GGML_TYPE[name], {id: GGML_TYPE[name], name, blockSize, bytesPerBlock}])
);

/** Ids that once existed but llama.cpp no longer loads from GGUF files (named, for clearer errors). */
export const REMOVED_GGML_TYPES: ReadonlyMap<number, string> = new Map([
    [4, "Q4_2"], [5, "Q4_3"], [31, "Q4_0_4_4"], [32, "Q4_0_4_8"], [33, "Q4_0_8_8"],
    [36, "IQ4_NL_4_4"], [37, "IQ4_NL_4_8"], [38, "IQ4_NL_8_8"]
]);

/** The ggml type a WeightType names. */
export const WEIGHT_TYPE_GGML: Readonly<Record<WeightType, number>> = {
    f32: GGML_TYPE.F32,
    f16: GGML_TYPE.F16,
    q8_0: GGML_TYPE.Q8_0,
    q4_0: GGML_TYPE.Q4_0,
    q4_k: GGML_TYPE.Q4_K,
    q6_k: GGML_TYPE.Q6_K
};

export function ggmlTypeTraits(type: number): GgmlTypeTraits | undefined {
    return GGML_TYPE_TRAITS.get(type);
}

/** Upper-case name ("Q4_0"), or e.g. "removed Q4_2" / "unknown 99" for ids llama.cpp does not load. */
export function ggmlTypeName(type: number): string {
    const traits = GGML_TYPE_TRAITS.get(type);
    if (traits != null)
        return traits.name;

    const removed = REMOVED_GGML_TYPES.get(type);
    return removed != null ? `removed ${removed}` : `unknown ${type}`;
}

/**
 * Bytes of a tensor of this type and shape (dims[0] is the row length, as in GGUF).
 * Throws when the type is unknown or a row is not a whole number of blocks.
 */
export function tensorBytes(type: number, dims: readonly (number | bigint)[]): number {
    const traits = GGML_TYPE_TRAITS.get(type);
    if (traits == null)
        throw new Error(`Unknown ggml type id ${type}`);

    const rowLength = Number(dims[0] ?? 1);
    if (rowLength % traits.blockSize !== 0)
        throw new Error(`A row of ${rowLength} elements is not a whole number of ${traits.name} blocks (${traits.blockSize})`);

    let rows = 1;
    for (const dim of dims.slice(1))
        rows *= Number(dim);

    return (rowLength / traits.blockSize) * traits.bytesPerBlock * rows;
}
