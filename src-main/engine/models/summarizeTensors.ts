// Where a model's bytes are, from its tensor table alone: per-layer bytes, the embedding and the output
// head, the types of each tensor kind and the dominant type of the repeating layers' matrices. One home
// for inspectModel (GGUF files) and inspectGgjt (legacy ggjt v3 files, before any conversion).
import {ggmlTypeName, tensorBytes} from "./ggmlTypes.js";

export interface TensorTableEntry {
    /** GGUF name, e.g. "blk.3.attn_q.weight". */
    name: string,
    ggmlType: number,
    /** dims[0] is the row length. */
    dims: readonly (number | bigint)[]
}

export interface TensorSummary {
    /** Tensor kind ("attn_q", "output", ...) -> ggml type names seen. */
    tensorTypes: Record<string, string[]>,
    /** Mean bytes of one repeating layer (blk.N.*); 0 without layers. */
    bytesPerLayer: number,
    tokenEmbdBytes: number,
    /** Output head (token_embd when tied) + final norm: read in full for every token. */
    outputBytes: number,
    tensorBytes: number,
    /** The type holding the most elements among the repeating layers' matrices. */
    dominantType?: number,
    /** Elements of all tensors. */
    elements: number
}

/** "blk.3.attn_q.weight" -> "attn_q", "output.weight" -> "output", "blk.0.attn_q.bias" -> "attn_q.bias". */
export function tensorKind(name: string): string {
    return name.replace(/^blk\.\d+\./, "").replace(/\.weight$/, "");
}

export function summarizeTensors(tensors: readonly TensorTableEntry[]): TensorSummary {
    const sizeOf = (tensor: TensorTableEntry) => tensorBytes(tensor.ggmlType, tensor.dims);
    const byName = new Map(tensors.map((tensor) => [tensor.name, tensor]));

    const layerBytes = new Map<number, number>();
    const tensorTypes: Record<string, string[]> = {};
    const blockTypeElements = new Map<number, number>();
    let totalBytes = 0;
    let elements = 0;
    for (const tensor of tensors) {
        const bytes = sizeOf(tensor);
        totalBytes += bytes;
        const tensorElements = tensor.dims.reduce<number>((a, b) => a * Number(b), 1);
        elements += tensorElements;

        const kind = tensorKind(tensor.name);
        const typeName = ggmlTypeName(tensor.ggmlType);
        const seen = tensorTypes[kind] ??= [];
        if (!seen.includes(typeName))
            seen.push(typeName);

        const layer = /^blk\.(\d+)\./.exec(tensor.name);
        if (layer != null) {
            layerBytes.set(Number(layer[1]), (layerBytes.get(Number(layer[1])) ?? 0) + bytes);
            if (tensor.dims.length >= 2)
                blockTypeElements.set(tensor.ggmlType, (blockTypeElements.get(tensor.ggmlType) ?? 0) + tensorElements);
        }
    }

    const tokenEmbd = byName.get("token_embd.weight");
    const output = byName.get("output.weight");
    const outputNorm = byName.get("output_norm.weight");
    const tokenEmbdBytes = tokenEmbd != null ? sizeOf(tokenEmbd) : 0;
    // with tied embeddings the output head is token_embd, read in full for every token
    const outputBytes = (output != null ? sizeOf(output) : tokenEmbdBytes) + (outputNorm != null ? sizeOf(outputNorm) : 0);

    let dominantType: number | undefined;
    for (const [type, count] of blockTypeElements)
        if (dominantType == null || count > blockTypeElements.get(dominantType)!)
            dominantType = type;

    const layerSizes = [...layerBytes.values()];
    return {
        tensorTypes,
        bytesPerLayer: layerSizes.length > 0 ? layerSizes.reduce((a, b) => a + b, 0) / layerSizes.length : 0,
        tokenEmbdBytes,
        outputBytes,
        tensorBytes: totalBytes,
        ...(dominantType != null ? {dominantType} : {}),
        elements
    };
}
