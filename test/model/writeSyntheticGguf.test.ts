// Synthetic files are real GGUF models: node-llama-cpp parses them to the exact plan, and llama.cpp
// (prebuilt CPU binaries) loads them, tokenizes any text and generates with finite logits.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {getLlama, readGgufFileInfo, type Llama, type Token} from "node-llama-cpp";
import {writeSyntheticGguf, SYNTHETIC_DESCRIPTION} from "../../src-main/engine/models/writeSyntheticGguf.js";
import {SHAPE_PRESETS} from "../../src-main/engine/models/shapePresets.js";
import {planSyntheticTensors} from "../../src-main/engine/models/planSyntheticTensors.js";
import {GGML_TYPE_TRAITS} from "../../src-main/engine/models/ggmlTypes.js";
import type {ModelShape, WeightType} from "../../src-main/engine/types.js";

const types: WeightType[] = ["q4_0", "q4_k", "q8_0", "q6_k", "f16", "f32"];
const shape = SHAPE_PRESETS.tiny!;
// rows of 64: the K-quant fallbacks (Q5_0, Q8_0) are written and loaded too
const narrow: ModelShape = {vocabSize: 400, nEmbd: 64, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 128, contextLength: 256};

let dir: string;
let llama: Llama;
const files = new Map<string, string>();

beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-synth-"));
    for (const type of types)
        files.set(type, (await writeSyntheticGguf({shape, type, outPath: path.join(dir, `tiny-${type}.gguf`), seed: 5})).path);
    files.set("narrow-q4_k", (await writeSyntheticGguf({shape: narrow, type: "q4_k", outPath: path.join(dir, "narrow-q4_k.gguf")})).path);
    llama = await getLlama({gpu: false, build: "never"});
});

afterAll(async () => {
    await llama?.dispose();
    await fs.rm(dir, {recursive: true, force: true});
});

describe("synthetic GGUF through node-llama-cpp's parser", () => {
    it.each(types)("%s: tensors, dims, types and offsets round-trip exactly", async (type) => {
        const info = await readGgufFileInfo(files.get(type)!, {logWarnings: false});
        const plan = planSyntheticTensors(shape, type);
        expect(info.version).toBe(3);
        expect(info.tensorInfo!.map((t) => ({name: t.name, ggmlType: t.ggmlType, dims: t.dimensions.map(Number)})))
            .toEqual(plan.map((t) => ({name: t.name, ggmlType: t.ggmlType, dims: t.dims})));

        // each tensor's data starts where the previous one's (padded to 32) ends, and the file ends after the last
        let expected = Number(info.tensorInfo![0]!.fileOffset);
        expect(expected % 32).toBe(0);
        info.tensorInfo!.forEach((tensor, i) => {
            expect(Number(tensor.fileOffset)).toBe(expected);
            expected += Math.ceil(plan[i]!.bytes / 32) * 32;
        });
        expect((await fs.stat(files.get(type)!)).size).toBe(expected);
    });

    it("carries the shape, tokenizer and synthetic marker in the metadata", async () => {
        const info = await readGgufFileInfo(files.get("q4_0")!, {logWarnings: false});
        const metadata = info.metadata as unknown as {
            general: Record<string, unknown>, llamameter: Record<string, unknown>,
            llama: {context_length: number, embedding_length: number, block_count: number, feed_forward_length: number,
                vocab_size: number, rope: {dimension_count: number}, attention: {head_count: number, head_count_kv: number, layer_norm_rms_epsilon: number}},
            tokenizer: {ggml: {model: string, tokens: string[], token_type: number[], scores: number[], bos_token_id: number, eos_token_id: number, unknown_token_id: number}}
        };
        expect(metadata.general).toMatchObject({architecture: "llama", file_type: 2, alignment: 32, description: SYNTHETIC_DESCRIPTION});
        expect(metadata.llamameter.synthetic).toBe(true);
        expect(metadata.llama).toMatchObject({
            context_length: shape.contextLength, embedding_length: shape.nEmbd, block_count: shape.nLayer,
            feed_forward_length: shape.nFf, vocab_size: shape.vocabSize,
            rope: {dimension_count: shape.nEmbd / shape.nHead},
            attention: {head_count: shape.nHead, head_count_kv: shape.nHeadKv}
        });
        const tokenizer = metadata.tokenizer.ggml;
        expect(tokenizer.model).toBe("llama");
        expect(tokenizer.tokens).toHaveLength(shape.vocabSize);
        expect(tokenizer.scores).toHaveLength(shape.vocabSize);
        expect(tokenizer.tokens.slice(0, 3)).toEqual(["<unk>", "<s>", "</s>"]);
        expect(tokenizer.tokens[3 + 0x41]).toBe("<0x41>");
        expect(tokenizer.token_type.slice(3, 259).every((t) => t === 6)).toBe(true);
        expect([tokenizer.unknown_token_id, tokenizer.bos_token_id, tokenizer.eos_token_id]).toEqual([0, 1, 2]);
    });
});

describe("synthetic GGUF in llama.cpp", () => {
    it.each([...types, "narrow-q4_k"])("%s: loads, tokenizes any text, generates with finite logits", async (key) => {
        const vocabSize = key.startsWith("narrow") ? narrow.vocabSize : shape.vocabSize;
        const model = await llama.loadModel({modelPath: files.get(key)!});
        const context = await model.createContext({contextSize: 256, threads: 1});
        try {
            const text = "Hello, world! ünïcödé";
            const tokens = model.tokenize(text);
            expect(tokens.length).toBeGreaterThan(0);
            expect(model.detokenize(tokens)).toBe(text);

            const sequence = context.getSequence();
            const generated: Token[] = [];
            for await (const token of sequence.evaluate([model.tokens.bos!, ...tokens], {temperature: 0, yieldEogToken: true})) {
                generated.push(token);
                if (generated.length === 8)
                    break;
            }
            expect(generated).toHaveLength(8);
            expect(generated.every((token) => token >= 0 && token < vocabSize)).toBe(true);

            const [result] = await sequence.controlledEvaluate([[generated.at(-1)!, {generateNext: {logits: true}}]]);
            const logits = [...result!.next!.logits!.values()];
            expect(logits.length).toBe(vocabSize);
            expect(logits.every(Number.isFinite)).toBe(true);
            expect(Math.max(...logits)).toBeGreaterThan(Math.min(...logits));
        } finally {
            await context.dispose();
            await model.dispose();
        }
    });
});

describe("ggmlTypes table", () => {
    it("agrees with the block and type sizes of the llama.cpp binaries in use", () => {
        const bindings = (llama as unknown as {_bindings: {getTypeSizeForGgmlType(t: number): number | undefined, getBlockSizeForGgmlType(t: number): number | undefined}})._bindings;
        for (const [id, traits] of GGML_TYPE_TRAITS) {
            expect(bindings.getBlockSizeForGgmlType(id), traits.name).toBe(traits.blockSize);
            expect(bindings.getTypeSizeForGgmlType(id), traits.name).toBe(traits.bytesPerBlock);
        }
        // ids missing from the table are ones llama.cpp cannot load (block size 0 or no type)
        for (let id = 0; id < 64; id++)
            if (!GGML_TYPE_TRAITS.has(id))
                expect([0, undefined, null]).toContain(bindings.getBlockSizeForGgmlType(id));
    });
});
