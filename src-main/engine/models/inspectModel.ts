// What a GGUF file holds, for the UI and the bandwidth ceiling: shape, types and where its bytes are.
// The header is checked by validateGguf first (node-llama-cpp's parser trusts it), then parsed by
// node-llama-cpp's readGgufFileInfo and GgufInsights.
import fs from "node:fs/promises";
import path from "node:path";
import {GgufFileType, GgufInsights, readGgufFileInfo, type GgufFileInfo, type GgufTensorInfo, type Llama} from "node-llama-cpp";
import type {ModelInfo} from "../types.js";
import {ggmlTypeName, tensorBytes} from "./ggmlTypes.js";
import {ModelFileError} from "./ModelFileError.js";
import {validateGguf} from "./validateGguf.js";

export interface InspectModelOptions {
    /**
     * The llama.cpp binaries this process already loaded. Without them node-llama-cpp loads its own (a local
     * build when one exists), and a second llama.cpp build in a process that benchmarks takes over llama.cpp's
     * logging: the perf counters never arrive.
     */
    llama?: Llama
}

export async function inspectModel(file: string, options: InspectModelOptions = {}): Promise<ModelInfo> {
    await validateGguf(file);

    let info: GgufFileInfo;
    let insights: GgufInsights;
    try {
        // split files (model-00001-of-00003.gguf) are read as one model
        info = await readGgufFileInfo(file, {sourceType: "filesystem", logWarnings: false});
        insights = await GgufInsights.from(info, options.llama);
    } catch (err) {
        throw new ModelFileError(file, `cannot read the GGUF header (${(err as Error).message})`, {cause: err});
    }

    const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
    const sizeOf = (tensor: GgufTensorInfo) => tensorBytes(tensor.ggmlType, tensor.dimensions);
    const byName = new Map(tensors.map((tensor) => [tensor.name, tensor]));

    // per-layer bytes: every tensor named blk.N.*
    const layerBytes = new Map<number, number>();
    const tensorTypes: Record<string, string[]> = {};
    const blockTypeElements = new Map<number, number>();
    let totalBytes = 0;
    for (const tensor of tensors) {
        const bytes = sizeOf(tensor);
        totalBytes += bytes;

        const kind = tensorKind(tensor.name);
        const typeName = ggmlTypeName(tensor.ggmlType);
        const seen = tensorTypes[kind] ??= [];
        if (!seen.includes(typeName))
            seen.push(typeName);

        const layer = /^blk\.(\d+)\./.exec(tensor.name);
        if (layer != null) {
            layerBytes.set(Number(layer[1]), (layerBytes.get(Number(layer[1])) ?? 0) + bytes);
            if (tensor.dimensions.length >= 2) {
                const elements = tensor.dimensions.reduce<number>((a, b) => a * Number(b), 1);
                blockTypeElements.set(tensor.ggmlType, (blockTypeElements.get(tensor.ggmlType) ?? 0) + elements);
            }
        }
    }

    const tokenEmbd = byName.get("token_embd.weight");
    const output = byName.get("output.weight");
    const outputNorm = byName.get("output_norm.weight");
    const tokenEmbdBytes = tokenEmbd != null ? sizeOf(tokenEmbd) : 0;
    // with tied embeddings the output head is token_embd, read in full for every token
    const outputBytes = (output != null ? sizeOf(output) : tokenEmbdBytes) + (outputNorm != null ? sizeOf(outputNorm) : 0);

    let dominant: number | undefined;
    for (const [type, elements] of blockTypeElements)
        if (dominant == null || elements > blockTypeElements.get(dominant)!)
            dominant = type;
    dominant ??= insights.dominantTensorType;

    const arch = info.architectureMetadata as Record<string, unknown> & {
        attention?: {head_count?: number | number[], head_count_kv?: number | number[]},
        feed_forward_length?: number | number[],
        block_count?: number,
        vocab_size?: number
    };
    const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
    const general = info.metadata.general;
    const nHead = firstNumber(arch.attention?.head_count) ?? 0;
    const fileType = general.file_type != null ? GgufFileType[general.file_type] : undefined;
    const layerSizes = [...layerBytes.values()];
    const stat = await fs.stat(file);

    return {
        file: path.resolve(file),
        fileName: path.basename(file),
        fileBytes: stat.size,
        architecture: String(general.architecture),
        ...(general.name != null ? {name: String(general.name)} : {}),
        parameters: insights.totalParameters,
        weightType: dominant != null ? ggmlTypeName(dominant) : "unknown",
        ...(fileType != null ? {fileType} : {}),
        tensorTypes,
        nLayer: arch.block_count ?? Math.max(0, insights.totalLayers - 1),
        nEmbd: insights.embeddingVectorSize ?? 0,
        nHead,
        nHeadKv: firstNumber(arch.attention?.head_count_kv) ?? nHead,
        nFf: firstNumber(arch.feed_forward_length) ?? 0,
        vocabSize: tokenEmbd != null ? Number(tokenEmbd.dimensions[1] ?? 0)
            : arch.vocab_size ?? info.metadata.tokenizer?.ggml?.tokens?.length ?? 0,
        contextLength: insights.trainContextSize ?? 0,
        bytesPerLayer: layerSizes.length > 0 ? layerSizes.reduce((a, b) => a + b, 0) / layerSizes.length : 0,
        tokenEmbdBytes,
        outputBytes,
        tensorBytes: totalBytes,
        // SYNTHETIC_KEY ("llamameter.synthetic"), nested by node-llama-cpp's parser
        synthetic: metadata.llamameter?.synthetic === true,
        // CONVERTED_FROM_KEY ("llamameter.converted_from"), written by convertGgjtToGguf
        ...(typeof metadata.llamameter?.converted_from === "string" ? {convertedFrom: metadata.llamameter.converted_from} : {})
    };
}

/** "blk.3.attn_q.weight" -> "attn_q", "output.weight" -> "output", "blk.0.attn_q.bias" -> "attn_q.bias". */
export function tensorKind(name: string): string {
    return name.replace(/^blk\.\d+\./, "").replace(/\.weight$/, "");
}

/** Some architectures store per-layer arrays; the first layer's value stands for the model. */
function firstNumber(value: number | number[] | undefined): number | undefined {
    return Array.isArray(value) ? value[0] : value;
}
