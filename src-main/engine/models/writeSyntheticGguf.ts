// Writes a LLaMA-architecture GGUF file of a given shape and weight type with random weights. The file
// is streamed in chunks of a few MB (a 70B file never needs its size in memory), written under a
// ".partial" name and renamed only when complete, so an aborted write never leaves a half file behind.
import fs from "node:fs/promises";
import path from "node:path";
import type {ModelShape, WeightType} from "../types.js";
import {buildSyntheticVocab} from "./buildSyntheticVocab.js";
import {alignUp, encodeGgufHeader, type GgufKv, type GgufTensorEntry} from "./encodeGgufHeader.js";
import {GGML_TYPE, ggmlTypeTraits} from "./ggmlTypes.js";
import {makeWeightPattern} from "./makeWeightPattern.js";
import {createRandom} from "../createRandom.js";
import {FILE_TYPE_FOR_WEIGHT, planSyntheticTensors} from "./planSyntheticTensors.js";
import {progressWriter} from "./progressWriter.js";
import {movePartialIntoPlace} from "./movePartialIntoPlace.js";

export const SYNTHETIC_DESCRIPTION = "LlamaMeter synthetic model: random weights";
/** Metadata key marking a file as written by this writer. */
export const SYNTHETIC_KEY = "llamameter.synthetic";
export const GGUF_ALIGNMENT = 32;

const patternBytes = 4 * 1024 * 1024;

export interface WriteSyntheticGgufOptions {
    shape: ModelShape,
    type: WeightType,
    /** Final path; the file is written to `outPath + ".partial"` first. Parent folders are created. */
    outPath: string,
    /** general.name; defaults to a description of the shape and type. */
    name?: string,
    /** Seed of the random weights (same seed, same bytes). */
    seed?: number,
    signal?: AbortSignal,
    /** Called after each chunk written. */
    onProgress?: (writtenBytes: number, totalBytes: number) => void
}

export async function writeSyntheticGguf(options: WriteSyntheticGgufOptions): Promise<{path: string, bytes: number}> {
    const {shape, type, outPath, signal, onProgress} = options;
    signal?.throwIfAborted();

    const seed = (options.seed ?? 1) >>> 0;
    const plan = planSyntheticTensors(shape, type);

    let dataBytes = 0;
    const entries: GgufTensorEntry[] = plan.map((tensor) => {
        const entry = {name: tensor.name, ggmlType: tensor.ggmlType, dims: tensor.dims, offset: dataBytes};
        dataBytes += alignUp(tensor.bytes, GGUF_ALIGNMENT);
        return entry;
    });

    const name = options.name ??
        `LlamaMeter synthetic llama ${shape.nLayer}L-${shape.nEmbd} ${type}`;
    const header = encodeGgufHeader(buildMetadata(shape, type, name, seed), entries, GGUF_ALIGNMENT);
    const totalBytes = header.length + dataBytes;

    const random = createRandom(seed);
    const patterns = new Map<number, Buffer>();
    const patternFor = (ggmlType: number) => {
        let pattern = patterns.get(ggmlType);
        if (pattern == null) {
            // no bigger than the largest tensor of this type: tiny test models then write in milliseconds
            const largest = Math.max(...plan.filter((t) => t.ggmlType === ggmlType).map((t) => t.bytes));
            pattern = makeWeightPattern(ggmlType, Math.min(patternBytes, largest), random);
            patterns.set(ggmlType, pattern);
        }
        return pattern;
    };
    const zeros = Buffer.alloc(GGUF_ALIGNMENT);

    const finalPath = path.resolve(outPath);
    const partialPath = finalPath + ".partial";
    await fs.mkdir(path.dirname(finalPath), {recursive: true});

    const file = await fs.open(partialPath, "w");
    const writer = progressWriter(file, totalBytes, {signal, onProgress});
    const write = (bytes: Uint8Array) => writer.write(bytes);

    try {
        await write(header);
        for (const tensor of plan) {
            if (tensor.dims.length === 1 && tensor.ggmlType === GGML_TYPE.F32)
                await write(normWeights(tensor.dims[0]!)); // norms stay 1.0: RMS norm scales by them
            else {
                const pattern = patternFor(tensor.ggmlType);
                const blockBytes = ggmlTypeTraits(tensor.ggmlType)!.bytesPerBlock;
                let remaining = tensor.bytes;
                while (remaining > 0) {
                    // start anywhere in the first half, on a block boundary, so no two tensors are byte-identical
                    const startBlock = Math.floor(random() * Math.max(1, Math.floor(pattern.length / blockBytes / 2)));
                    const start = startBlock * blockBytes;
                    const length = Math.min(remaining, pattern.length - start);
                    await write(pattern.subarray(start, start + length));
                    remaining -= length;
                }
            }
            const padding = alignUp(tensor.bytes, GGUF_ALIGNMENT) - tensor.bytes;
            if (padding > 0)
                await write(zeros.subarray(0, padding));
        }
        await file.close();
    } catch (err) {
        await file.close().catch(() => undefined);
        await fs.rm(partialPath, {force: true});
        throw err;
    }

    if (writer.written !== totalBytes)
        throw new Error(`Synthetic writer bug: wrote ${writer.written} bytes, planned ${totalBytes}`);

    await movePartialIntoPlace(partialPath, finalPath, signal);
    return {path: finalPath, bytes: totalBytes};
}

function normWeights(length: number): Buffer {
    const buffer = Buffer.alloc(length * 4);
    for (let i = 0; i < length; i++)
        buffer.writeFloatLE(1, i * 4);
    return buffer;
}

function buildMetadata(shape: ModelShape, type: WeightType, name: string, seed: number): GgufKv[] {
    const vocab = buildSyntheticVocab(shape.vocabSize);
    const quantized = type !== "f32" && type !== "f16";
    const kvs: GgufKv[] = [
        {key: "general.architecture", type: "string", value: "llama"},
        {key: "general.name", type: "string", value: name},
        {key: "general.description", type: "string", value: SYNTHETIC_DESCRIPTION},
        {key: "general.file_type", type: "u32", value: FILE_TYPE_FOR_WEIGHT[type]},
        {key: "general.alignment", type: "u32", value: GGUF_ALIGNMENT},
        ...(quantized ? [{key: "general.quantization_version", type: "u32", value: 2} as const] : []),
        {key: SYNTHETIC_KEY, type: "bool", value: true},
        {key: "llamameter.seed", type: "u32", value: seed},
        {key: "llama.vocab_size", type: "u32", value: shape.vocabSize},
        {key: "llama.context_length", type: "u32", value: shape.contextLength},
        {key: "llama.embedding_length", type: "u32", value: shape.nEmbd},
        {key: "llama.block_count", type: "u32", value: shape.nLayer},
        {key: "llama.feed_forward_length", type: "u32", value: shape.nFf},
        {key: "llama.rope.dimension_count", type: "u32", value: shape.nEmbd / shape.nHead},
        {key: "llama.rope.freq_base", type: "f32", value: 10000},
        {key: "llama.attention.head_count", type: "u32", value: shape.nHead},
        {key: "llama.attention.head_count_kv", type: "u32", value: shape.nHeadKv},
        {key: "llama.attention.layer_norm_rms_epsilon", type: "f32", value: 1e-5},
        {key: "tokenizer.ggml.model", type: "string", value: "llama"},
        {key: "tokenizer.ggml.tokens", type: "string[]", value: vocab.tokens},
        {key: "tokenizer.ggml.scores", type: "f32[]", value: vocab.scores},
        {key: "tokenizer.ggml.token_type", type: "i32[]", value: vocab.tokenTypes},
        {key: "tokenizer.ggml.bos_token_id", type: "u32", value: vocab.bosId},
        {key: "tokenizer.ggml.eos_token_id", type: "u32", value: vocab.eosId},
        {key: "tokenizer.ggml.unknown_token_id", type: "u32", value: vocab.unkId},
        {key: "tokenizer.ggml.add_bos_token", type: "bool", value: true},
        {key: "tokenizer.ggml.add_eos_token", type: "bool", value: false}
    ];
    return kvs;
}
