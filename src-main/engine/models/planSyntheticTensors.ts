// Which tensors a synthetic LLaMA file holds, in which ggml types, and how many bytes each takes.
// The types follow llama.cpp's quantizer (llama_tensor_get_type in src/llama-quant.cpp, no imatrix) so a
// synthetic file is the size of a real file of the same shape and type, and reads as many bytes per token.
import type {ModelShape, WeightType} from "../types.js";
import {GGML_TYPE, WEIGHT_TYPE_GGML, ggmlTypeTraits, tensorBytes} from "./ggmlTypes.js";

export interface PlannedTensor {
    name: string,
    ggmlType: number,
    /** GGUF order: dims[0] is the row length. */
    dims: number[],
    bytes: number
}

/**
 * GGUF general.file_type (llama_ftype) written for each weight type. "q4_k" is written as Q4_K_M, the
 * mix most Q4_K downloads use.
 */
export const FILE_TYPE_FOR_WEIGHT: Readonly<Record<WeightType, number>> = {
    f32: 0, // ALL_F32
    f16: 1, // MOSTLY_F16
    q4_0: 2, // MOSTLY_Q4_0
    q8_0: 7, // MOSTLY_Q8_0
    q4_k: 15, // MOSTLY_Q4_K_M
    q6_k: 18 // MOSTLY_Q6_K
};

/** Throws when the shape cannot make a valid LLaMA model. */
export function checkShape(shape: ModelShape): void {
    for (const [key, value] of Object.entries(shape))
        if (!Number.isSafeInteger(value) || value < 1)
            throw new Error(`Model shape: ${key} must be a positive integer, got ${value}`);

    if (shape.nEmbd % shape.nHead !== 0)
        throw new Error(`Model shape: nEmbd ${shape.nEmbd} is not divisible by nHead ${shape.nHead}`);
    if (shape.nHead % shape.nHeadKv !== 0)
        throw new Error(`Model shape: nHead ${shape.nHead} is not divisible by nHeadKv ${shape.nHeadKv}`);
    if ((shape.nEmbd / shape.nHead) % 2 !== 0)
        throw new Error(`Model shape: head size ${shape.nEmbd / shape.nHead} must be even for RoPE`);
    if (shape.vocabSize < 259)
        throw new Error(`Model shape: vocabSize ${shape.vocabSize} is too small for the 3 special and 256 byte tokens`);
}

type Kind = "token_embd" | "output" | "norm" | "attn_q" | "attn_k" | "attn_v" | "attn_output" | "ffn_gate" | "ffn_up" | "ffn_down";

/** The ordered tensors a synthetic file of this shape and weight type holds. */
export function planSyntheticTensors(shape: ModelShape, type: WeightType): PlannedTensor[] {
    checkShape(shape);
    if (!Object.hasOwn(WEIGHT_TYPE_GGML, type))
        throw new Error(`Unknown weight type "${type}"; valid types: ${Object.keys(WEIGHT_TYPE_GGML).join(", ")}`);

    const {vocabSize, nEmbd, nLayer, nHead, nHeadKv, nFf} = shape;
    const nEmbdKv = (nEmbd / nHead) * nHeadKv;
    // llama.cpp bumps attn_v one step on LLaMA-2-70B-like models (80 layers with grouped-query attention)
    const is70b = nLayer === 80 && nHead !== nHeadKv;

    const tensors: PlannedTensor[] = [];
    const add = (name: string, kind: Kind, dims: number[], layer: number) => {
        const ggmlType = pickType(type, kind, dims[0]!, layer, nLayer, is70b);
        tensors.push({name, ggmlType, dims, bytes: tensorBytes(ggmlType, dims)});
    };

    add("token_embd.weight", "token_embd", [nEmbd, vocabSize], -1);
    for (let i = 0; i < nLayer; i++) {
        add(`blk.${i}.attn_norm.weight`, "norm", [nEmbd], i);
        add(`blk.${i}.attn_q.weight`, "attn_q", [nEmbd, nEmbd], i);
        add(`blk.${i}.attn_k.weight`, "attn_k", [nEmbd, nEmbdKv], i);
        add(`blk.${i}.attn_v.weight`, "attn_v", [nEmbd, nEmbdKv], i);
        add(`blk.${i}.attn_output.weight`, "attn_output", [nEmbd, nEmbd], i);
        add(`blk.${i}.ffn_norm.weight`, "norm", [nEmbd], i);
        add(`blk.${i}.ffn_gate.weight`, "ffn_gate", [nEmbd, nFf], i);
        add(`blk.${i}.ffn_up.weight`, "ffn_up", [nEmbd, nFf], i);
        add(`blk.${i}.ffn_down.weight`, "ffn_down", [nFf, nEmbd], i);
    }
    add("output_norm.weight", "norm", [nEmbd], -1);
    add("output.weight", "output", [nEmbd, vocabSize], -1);

    return tensors;
}

/** llama.cpp's rule for layers that get more bits in the *_M mixes. */
function useMoreBits(layer: number, nLayer: number): boolean {
    const eighth = Math.trunc(nLayer / 8);
    return layer < eighth || layer >= Math.trunc(7 * nLayer / 8) || (layer - eighth) % 3 === 2;
}

function pickType(type: WeightType, kind: Kind, rowLength: number, layer: number, nLayer: number, is70b: boolean): number {
    // 1-D tensors (norms) are never quantized
    if (kind === "norm" || type === "f32")
        return GGML_TYPE.F32;

    const base = WEIGHT_TYPE_GGML[type];
    if (type === "f16")
        return base;

    let chosen = base;
    if (kind === "output") {
        if (rowLength % ggmlTypeTraits(base)!.blockSize !== 0 || base === GGML_TYPE.Q8_0)
            chosen = GGML_TYPE.Q8_0;
        else
            chosen = GGML_TYPE.Q6_K;
    } else if (kind === "attn_v") {
        if (type === "q4_k" && useMoreBits(layer, nLayer))
            chosen = GGML_TYPE.Q6_K;
        if (is70b && (chosen === GGML_TYPE.Q3_K || chosen === GGML_TYPE.Q4_K))
            chosen = GGML_TYPE.Q5_K;
    } else if (kind === "ffn_down") {
        if (type === "q4_k" && useMoreBits(layer, nLayer))
            chosen = GGML_TYPE.Q6_K;
    }

    return fallbackType(chosen, rowLength);
}

/** llama.cpp's tensor_type_fallback: rows that are not whole blocks take a smaller-block type, else F16. */
function fallbackType(type: number, rowLength: number): number {
    if (rowLength % ggmlTypeTraits(type)!.blockSize === 0)
        return type;

    let fallback = type;
    if (type === GGML_TYPE.Q4_K)
        fallback = GGML_TYPE.Q5_0;
    else if (type === GGML_TYPE.Q5_K)
        fallback = GGML_TYPE.Q5_1;
    else if (type === GGML_TYPE.Q6_K)
        fallback = GGML_TYPE.Q8_0;

    return rowLength % ggmlTypeTraits(fallback)!.blockSize === 0 ? fallback : GGML_TYPE.F16;
}
