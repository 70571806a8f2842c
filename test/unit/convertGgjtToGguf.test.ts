// ggjt v3 -> GGUF: tiny files of every convertible type, round-tripped through node-llama-cpp's own GGUF
// reader, plus the one-line errors for older containers and bad files.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readGgufFileInfo} from "node-llama-cpp";
import {convertGgjtToGguf} from "../../src-main/engine/models/convertGgjtToGguf.js";
import {ensureGguf} from "../../src-main/engine/models/ensureGguf.js";
import {ggufTensorName, nFfFromNMult} from "../../src-main/engine/models/mapGgjtToGguf.js";
import {validateGguf} from "../../src-main/engine/models/validateGguf.js";
import {ModelFileError} from "../../src-main/engine/models/ModelFileError.js";
import {GGML_TYPE, ggmlTypeName} from "../../src-main/engine/models/ggmlTypes.js";
import {buildSyntheticVocab} from "../../src-main/engine/models/buildSyntheticVocab.js";
import {TINY_GGJT_SHAPE, encodeGgjtFile, tinyGgjtLlama, writeGgjtFile, type GgjtFileSpec} from "../fixtures/writeGgjtFile.js";

let dir: string;

beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-ggjt-"));
});

afterAll(async () => {
    await fs.rm(dir, {recursive: true, force: true});
});

async function reasonOf(file: string, options: {gqa?: number} = {}): Promise<string> {
    try {
        await ensureGguf(file, {cacheDir: path.join(dir, "cache"), ...options});
    } catch (err) {
        expect(err).toBeInstanceOf(ModelFileError);
        const error = err as ModelFileError;
        expect(error.message).toBe(`${file}: ${error.reason}`);
        expect(error.message).not.toMatch(/\n/);
        return error.reason;
    }
    throw new Error(`ensureGguf accepted ${file}`);
}

const convertible = ["F32", "F16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q4_K", "Q5_K", "Q6_K"] as const;

describe("convertGgjtToGguf", () => {
    it.each(convertible)("converts a tiny %s ggjt v3 file that node-llama-cpp reads back with the same shapes, types and bytes", async (typeName) => {
        const type = GGML_TYPE[typeName];
        const spec = tinyGgjtLlama(type);
        const source = await writeGgjtFile(path.join(dir, `tiny-${typeName}.ggmlv3.bin`), spec);
        const out = path.join(dir, `tiny-${typeName}.gguf`);
        const progress: number[] = [];
        const converted = await convertGgjtToGguf({source, outPath: out, onProgress: (written) => progress.push(written)});

        expect(converted.bytes).toBe((await fs.stat(out)).size);
        expect(progress.at(-1)).toBe(converted.bytes);
        await expect(validateGguf(out)).resolves.toBeUndefined();

        const info = await readGgufFileInfo(out, {sourceType: "filesystem", logWarnings: false});
        const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
        expect(tensors.map((t) => t.name)).toEqual(spec.tensors.map((t) => ggufTensorName(t.name)));
        expect(tensors.map((t) => t.dimensions.map(Number))).toEqual(spec.tensors.map((t) => t.dims));
        expect(tensors.map((t) => ggmlTypeName(t.ggmlType))).toEqual(spec.tensors.map((t) => ggmlTypeName(t.type)));
        expect(tensors.find((t) => t.name === "blk.1.ffn_gate.weight")?.dimensions.map(Number)).toEqual([256, 768]);

        const llama = info.architectureMetadata as Record<string, unknown> & {attention: Record<string, unknown>, rope: Record<string, unknown>};
        expect(info.metadata.general.architecture).toBe("llama");
        expect(info.metadata.general.file_type).toBe(spec.hparams.ftype);
        expect(llama.embedding_length).toBe(256);
        expect(llama.block_count).toBe(2);
        expect(llama.feed_forward_length).toBe(768);
        expect(llama.attention.head_count).toBe(4);
        expect(llama.attention.head_count_kv).toBe(2); // from the wk shape: 256 x 128
        expect(llama.rope.dimension_count).toBe(64);
        expect((info.metadata as unknown as {llamameter: {converted_from: string}}).llamameter.converted_from).toBe("ggjt v3");

        // the vocabulary comes back as SentencePiece pieces ("▁", "<0xXX>") with its scores and types
        const vocab = buildSyntheticVocab(TINY_GGJT_SHAPE.vocabSize);
        const tokenizer = info.metadata.tokenizer!.ggml! as unknown as {tokens: string[], scores: number[], token_type: number[]};
        expect(tokenizer.tokens).toEqual(vocab.tokens);
        expect(tokenizer.scores).toEqual(vocab.scores.map(Math.fround));
        expect(tokenizer.token_type).toEqual(vocab.tokenTypes);

        // every tensor's bytes are the source's, at the offset the header gives; the data section ends the file
        const data = await fs.readFile(out);
        const firstOffset = data.length - spec.tensors.reduce((sum, t) => sum + Math.ceil(t.data.length / 32) * 32, 0);
        for (const [i, tensor] of tensors.entries()) {
            const at = firstOffset + Number(tensor.offset);
            expect(data.subarray(at, at + spec.tensors[i]!.data.length).equals(spec.tensors[i]!.data), tensor.name).toBe(true);
        }
    });

    it("converts a Q4_0 file whose output head is Q6_K, as llama.cpp's mid-2023 quantizer wrote them", async () => {
        const spec = tinyGgjtLlama(GGML_TYPE.Q4_0);
        const output = spec.tensors.findIndex((t) => t.name === "output.weight");
        const q6k = tinyGgjtLlama(GGML_TYPE.Q6_K).tensors.find((t) => t.name === "output.weight")!;
        spec.tensors[output] = q6k;
        const source = await writeGgjtFile(path.join(dir, "mixed.bin"), spec);
        const out = path.join(dir, "mixed.gguf");
        await convertGgjtToGguf({source, outPath: out});
        const info = await readGgufFileInfo(out, {sourceType: "filesystem", logWarnings: false});
        const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
        expect(ggmlTypeName(tensors.find((t) => t.name === "output.weight")!.ggmlType)).toBe("Q6_K");
        expect(ggmlTypeName(tensors.find((t) => t.name === "blk.0.attn_q.weight")!.ggmlType)).toBe("Q4_0");
    });

    it("computes n_ff from n_mult as llama.cpp did, with the 70B multiplier at gqa 8", () => {
        expect(nFfFromNMult(4096, 256, 1)).toBe(11008); // LLaMA 7B
        expect(nFfFromNMult(5120, 256, 1)).toBe(13824); // 13B
        expect(nFfFromNMult(3200, 216, 1)).toBe(8640); // OpenLLaMA 3B
        expect(nFfFromNMult(8192, 4096, 8)).toBe(28672); // LLaMA-2 70B
    });

    it("renames the LLaMA tensors as llama.cpp's script does", () => {
        expect(ggufTensorName("tok_embeddings.weight")).toBe("token_embd.weight");
        expect(ggufTensorName("norm.weight")).toBe("output_norm.weight");
        expect(ggufTensorName("output.weight")).toBe("output.weight");
        expect(ggufTensorName("layers.31.attention.wq.weight")).toBe("blk.31.attn_q.weight");
        expect(ggufTensorName("layers.0.attention.wo.weight")).toBe("blk.0.attn_output.weight");
        expect(ggufTensorName("layers.2.feed_forward.w1.weight")).toBe("blk.2.ffn_gate.weight");
        expect(ggufTensorName("layers.2.feed_forward.w2.weight")).toBe("blk.2.ffn_down.weight");
        expect(ggufTensorName("layers.2.feed_forward.w3.weight")).toBe("blk.2.ffn_up.weight");
        expect(ggufTensorName("layers.2.attention_norm.weight")).toBe("blk.2.attn_norm.weight");
        expect(ggufTensorName("layers.2.ffn_norm.weight")).toBe("blk.2.ffn_norm.weight");
        expect(ggufTensorName("layers.2.mystery.weight")).toBeNull();
    });
});

describe("ensureGguf", () => {
    it("converts on first use into the cache, finds the copy afterwards, and converts again when the source changes", async () => {
        const cacheDir = path.join(dir, "ensure-cache");
        const source = await writeGgjtFile(path.join(dir, "cached.ggmlv3.q4_0.bin"), tinyGgjtLlama(GGML_TYPE.Q4_0));
        const first = await ensureGguf(source, {cacheDir});
        expect(first.conversion).toMatchObject({from: "ggjt v3", source, cached: false});
        expect(first.conversion!.ms).toBeGreaterThan(0);
        expect(path.dirname(first.path)).toBe(cacheDir);
        expect(path.basename(first.path)).toMatch(/^cached\.ggmlv3\.q4_0-[0-9a-f]{8}-\d+-\d+\.gguf$/);

        const second = await ensureGguf(source, {cacheDir});
        expect(second).toMatchObject({path: first.path, conversion: {cached: true}});

        // a new mtime is a new source: a new copy, and the stale one is removed
        const later = new Date(Date.now() + 60_000);
        await fs.utimes(source, later, later);
        const third = await ensureGguf(source, {cacheDir});
        expect(third.path).not.toBe(first.path);
        expect(third.conversion!.cached).toBe(false);
        expect(await fs.readdir(cacheDir)).toEqual([path.basename(third.path)]);
    });

    it("passes GGUF files and non-GGML files through untouched", async () => {
        const other = path.join(dir, "not-a-model.txt");
        await fs.writeFile(other, "hello");
        expect(await ensureGguf(other, {cacheDir: path.join(dir, "cache")})).toEqual({path: other});
        expect(await ensureGguf(path.join(dir, "missing.gguf"), {cacheDir: path.join(dir, "cache")})).toEqual({path: path.join(dir, "missing.gguf")});
    });

    it("accepts a --gqa that fits the file and refuses one that does not", async () => {
        const source = await writeGgjtFile(path.join(dir, "gqa.bin"), tinyGgjtLlama(GGML_TYPE.Q8_0));
        await expect(ensureGguf(source, {cacheDir: path.join(dir, "gqa-cache"), gqa: 2})).resolves.toMatchObject({conversion: {cached: false}});
        expect(await reasonOf(path.join(dir, "gqa.bin"), {gqa: 8})).toContain("--gqa 8 does not fit the file: its layers.0.attention.wk is 256 x 128, so n_head_kv is 2 (gqa 2)");
    });
});

describe("older containers and bad ggjt files", () => {
    const base = () => tinyGgjtLlama(GGML_TYPE.Q4_0);
    const write = (name: string, spec: GgjtFileSpec) => writeGgjtFile(path.join(dir, "bad", name), spec);
    const writeBytes = async (name: string, bytes: Buffer) => {
        const file = path.join(dir, "bad", name);
        await fs.mkdir(path.dirname(file), {recursive: true});
        await fs.writeFile(file, bytes);
        return file;
    };

    it.each([
        ["unversioned ggml", {magic: "ggml"}, 'is an unversioned GGML file (magic "ggml"'],
        ["ggmf v1", {magic: "ggmf", version: 1}, 'is a GGMF v1 file (magic "ggmf", version 1)'],
        ["ggjt v1", {magic: "ggjt", version: 1}, 'is a ggjt v1 file (magic "ggjt", version 1): its Q4/Q5/Q8 blocks use the nibble order'],
        ["ggjt v2", {magic: "ggjt", version: 2}, "is a ggjt v2 file (magic \"ggjt\", version 2, May 2023): its Q4_0, Q4_1 and Q8_0 blocks store f32 scales"],
        ["ggjt v4", {magic: "ggjt", version: 4}, "is a ggjt file of unknown version 4"]
    ] as const)("refuses %s, naming the format and why", async (name, container, fragment) => {
        const reason = await reasonOf(await write(`${name.replace(/ /g, "-")}.bin`, {...base(), ...container}));
        expect(reason).toContain(fragment);
        if (!name.includes("v4"))
            expect(reason).toContain("LlamaMeter converts only ggjt v3");
    });

    it("names LoRA adapters and session files for what they are", async () => {
        expect(await reasonOf(await writeBytes("adapter.bin", Buffer.from("alggAAAA", "latin1")))).toContain("is a GGML LoRA adapter");
        expect(await reasonOf(await writeBytes("session.bin", Buffer.from("nsggAAAA", "latin1")))).toContain("session (KV-cache) file");
    });

    it("reports truncation in the header, the vocabulary and the tensor data", async () => {
        const whole = encodeGgjtFile(base());
        expect(await reasonOf(await writeBytes("cut-hparams.bin", whole.subarray(0, 20)))).toMatch(/^header cut short: reading the hyper-parameters needs byte 36 but the file ends at 20 bytes/);
        expect(await reasonOf(await writeBytes("cut-vocab.bin", whole.subarray(0, 2000)))).toContain("corrupt header: a vocabulary of 512 tokens cannot fit in a 2000-byte file");
        expect(await reasonOf(await writeBytes("cut-vocab2.bin", whole.subarray(0, 5000)))).toMatch(/^header cut short: reading the vocabulary needs byte \d+ but the file ends at 5000 bytes/);
        const cut = whole.length - 1000;
        expect(await reasonOf(await writeBytes("cut-data.bin", whole.subarray(0, cut)))).toMatch(new RegExp(`^tensor data cut short: tensor "layers\\.1\\.ffn_norm\\.weight" \\(256 F32\\) needs bytes \\d+ to \\d+ but the file ends at ${cut} bytes`));
    });

    it("reports absurd sizes and shapes", async () => {
        const hugeVocab = base();
        hugeVocab.hparams.nVocab = 2_000_000_000;
        expect(await reasonOf(await write("huge-vocab.bin", hugeVocab))).toContain("corrupt header: a vocabulary of 2000000000 tokens cannot fit");

        const longToken = base();
        longToken.tokens[5] = Buffer.alloc(5000, 0x61);
        expect(await reasonOf(await write("long-token.bin", longToken))).toContain("corrupt vocabulary: token 5 claims a length of 5000 bytes");

        const hugeTensor = base();
        hugeTensor.tensors[3]!.dims = [256, 4_000_000_000];
        expect(await reasonOf(await write("huge-tensor.bin", hugeTensor))).toMatch(/^tensor data cut short: tensor "layers\.0\.attention\.wq\.weight" \(256 x 4000000000 Q4_0\)/);

        const badDims = base();
        badDims.tensors[0]!.dims = [256, 512, 1, 1, 1];
        expect(await reasonOf(await write("five-dims.bin", badDims))).toContain("has 5 dimensions (1 to 4 expected)");

        const badHeads = base();
        badHeads.hparams.nHead = 3;
        expect(await reasonOf(await write("bad-heads.bin", badHeads))).toContain("corrupt header: absurd hyper-parameters (n_vocab 512, n_embd 256, n_head 3");

        const badFtype = base();
        badFtype.hparams.ftype = 2002; // a ggml-repo file (ftype + 1000 x quantization version), not llama.cpp's
        expect(await reasonOf(await write("bad-ftype.bin", badFtype))).toContain("corrupt header: unknown file type 2002");
    });

    it("reports tensors LlamaMeter cannot carry over and incomplete models", async () => {
        const q8k = base();
        q8k.tensors[0] = {...q8k.tensors[0]!, type: GGML_TYPE.Q8_K, data: Buffer.alloc(292 * 512)};
        expect(await reasonOf(await write("q8_k.bin", q8k))).toContain('tensor "tok_embeddings.weight" has type Q8_K, which llama.cpp never wrote into ggjt v3 model files: LlamaMeter converts F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K');

        const removed = base();
        removed.tensors[0] = {...removed.tensors[0]!, type: 4};
        expect(await reasonOf(await write("q4_2.bin", removed))).toContain("has type Q4_2");

        const missing = base();
        missing.tensors = missing.tensors.filter((t) => t.name !== "layers.1.attention.wv.weight");
        expect(await reasonOf(await write("missing.bin", missing))).toContain('tensor "layers.1.attention.wv.weight" is missing');

        const wrongShape = base();
        wrongShape.tensors[0]!.dims = [256, 256];
        wrongShape.tensors[0]!.data = wrongShape.tensors[0]!.data.subarray(0, 256 * 256 / 32 * 18);
        expect(await reasonOf(await write("wrong-shape.bin", wrongShape))).toContain('tensor "tok_embeddings.weight" is 256 x 256, expected 256 x 512');

        const stranger = base();
        stranger.tensors.push({name: "mystery.weight", type: GGML_TYPE.F32, dims: [8], data: Buffer.alloc(32)});
        expect(await reasonOf(await write("stranger.bin", stranger))).toContain('tensor "mystery.weight" is not a LLaMA tensor');

        const empty = base();
        empty.tensors = [];
        expect(await reasonOf(await write("empty.bin", empty))).toContain("contains no tensors");
    });

    it("leaves no partial file behind when a conversion is cancelled", async () => {
        const source = await writeGgjtFile(path.join(dir, "cancel.bin"), tinyGgjtLlama(GGML_TYPE.F16));
        const controller = new AbortController();
        const out = path.join(dir, "cancel-out", "cancel.gguf");
        await expect(convertGgjtToGguf({
            source, outPath: out, signal: controller.signal,
            onProgress: (written) => written > 100_000 && controller.abort()
        })).rejects.toThrow();
        expect(await fs.readdir(path.dirname(out))).toEqual([]);
    });
});
