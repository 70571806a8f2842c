// What a GGUF file holds, for the UI and the bandwidth ceiling: shape, types and where its bytes are
// (a legacy ggjt v3 file: what its GGUF conversion will hold, from inspectGgjt).
// The header is checked by validateGguf first (node-llama-cpp's parser trusts it), then parsed by
// node-llama-cpp's readGgufFileInfo and GgufInsights.
import fs from "node:fs/promises";
import path from "node:path";
import {GgufFileType, GgufInsights, readGgufFileInfo, type GgufFileInfo, type Llama} from "node-llama-cpp";
import type {ModelInfo} from "../types.js";
import {ggmlTypeName} from "./ggmlTypes.js";
import {summarizeTensors} from "./summarizeTensors.js";
import {readLegacyGgmlFormat} from "./legacyGgmlFormat.js";
import {inspectGgjt} from "./inspectGgjt.js";
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
    // a legacy ggjt v3 file is described from its own header (older containers fail there with the reason)
    if (await readLegacyGgmlFormat(file) != null)
        return await inspectGgjt(file);
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
    const summary = summarizeTensors(tensors.map((tensor) => ({name: tensor.name, ggmlType: tensor.ggmlType, dims: tensor.dimensions})));
    const tokenEmbd = tensors.find((tensor) => tensor.name === "token_embd.weight");
    const dominant = summary.dominantType ?? insights.dominantTensorType;

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
        tensorTypes: summary.tensorTypes,
        nLayer: arch.block_count ?? Math.max(0, insights.totalLayers - 1),
        nEmbd: insights.embeddingVectorSize ?? 0,
        nHead,
        nHeadKv: firstNumber(arch.attention?.head_count_kv) ?? nHead,
        nFf: firstNumber(arch.feed_forward_length) ?? 0,
        vocabSize: tokenEmbd != null ? Number(tokenEmbd.dimensions[1] ?? 0)
            : arch.vocab_size ?? info.metadata.tokenizer?.ggml?.tokens?.length ?? 0,
        contextLength: insights.trainContextSize ?? 0,
        bytesPerLayer: summary.bytesPerLayer,
        tokenEmbdBytes: summary.tokenEmbdBytes,
        outputBytes: summary.outputBytes,
        tensorBytes: summary.tensorBytes,
        // SYNTHETIC_KEY ("llamameter.synthetic"), nested by node-llama-cpp's parser
        synthetic: metadata.llamameter?.synthetic === true,
        // CONVERTED_FROM_KEY ("llamameter.converted_from"), written by convertGgjtToGguf
        ...(typeof metadata.llamameter?.converted_from === "string" ? {convertedFrom: metadata.llamameter.converted_from} : {})
    };
}

export {tensorKind} from "./summarizeTensors.js";

/** Some architectures store per-layer arrays; the first layer's value stands for the model. */
function firstNumber(value: number | number[] | undefined): number | undefined {
    return Array.isArray(value) ? value[0] : value;
}
