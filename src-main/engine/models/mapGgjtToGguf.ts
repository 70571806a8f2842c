// What a ggjt v3 LLaMA file becomes in GGUF: the metadata (hyper-parameters, vocabulary with scores) and
// the tensor table with GGUF names, as llama.cpp's convert_llama_ggml_to_gguf.py maps them. Tensor data is
// not touched here (convertGgjtToGguf copies it); a file that cannot make a loadable LLaMA model fails
// with a one-line ModelFileError naming what is wrong.
import path from "node:path";
import type {GgufKv, GgufTensorEntry} from "./encodeGgufHeader.js";
import {alignUp} from "./encodeGgufHeader.js";
import {GGML_TYPE} from "./ggmlTypes.js";
import {GGJT_FTYPE_NAMES, type GgjtHeader, type GgjtTensor} from "./readGgjtHeader.js";
import {ModelFileError} from "./ModelFileError.js";
import {TOKEN_TYPE} from "./buildSyntheticVocab.js";
import {GGUF_ALIGNMENT} from "./writeSyntheticGguf.js";

/** Metadata key recording the legacy format a GGUF was converted from ("ggjt v3"). */
export const CONVERTED_FROM_KEY = "llamameter.converted_from";
export const GGJT_V3_LABEL = "ggjt v3" as const;
/** llama.context_length of a conversion: ggjt files do not record it; 2048 (LLaMA 1) is the script's default. */
export const GGJT_CONTEXT_LENGTH = 2048;

export interface MapGgjtOptions {
    /**
     * Grouped-query attention factor, n_head / n_head_kv (8 for LLaMA-2 70B), as convert_llama_ggml_to_gguf.py's
     * --gqa takes it. ggjt headers have no n_head_kv; without this it is read from the shape of
     * layers.0.attention.wk, and a factor that disagrees with that shape is an error.
     */
    gqa?: number,
    /** llama.context_length; default GGJT_CONTEXT_LENGTH. */
    contextLength?: number
}

export interface MappedTensor {
    entry: GgufTensorEntry,
    source: GgjtTensor
}

export interface GgjtMapping {
    kvs: GgufKv[],
    tensors: MappedTensor[],
    /** Bytes of the GGUF data section (each tensor padded to the alignment). */
    dataBytes: number,
    nHeadKv: number,
    nFf: number
}

const layerNames: ReadonlyMap<string, string> = new Map([
    ["attention.wq", "attn_q"], ["attention.wk", "attn_k"], ["attention.wv", "attn_v"], ["attention.wo", "attn_output"],
    ["attention_norm", "attn_norm"], ["feed_forward.w1", "ffn_gate"], ["feed_forward.w2", "ffn_down"],
    ["feed_forward.w3", "ffn_up"], ["ffn_norm", "ffn_norm"]
]);
const globalNames: ReadonlyMap<string, string> = new Map([
    ["tok_embeddings", "token_embd"], ["norm", "output_norm"], ["output", "output"]
]);

/** "layers.3.attention.wq.weight" -> "blk.3.attn_q.weight"; null for a name a LLaMA ggjt file does not use. */
export function ggufTensorName(legacyName: string): string | null {
    const match = /^(.*)\.(weight|bias)$/.exec(legacyName);
    if (match == null)
        return null;
    const [, stem, suffix] = match;
    const layer = /^layers\.(\d+)\.(.+)$/.exec(stem!);
    if (layer != null) {
        const mapped = layerNames.get(layer[2]!);
        return mapped != null ? `blk.${Number(layer[1])}.${mapped}.${suffix}` : null;
    }
    const mapped = globalNames.get(stem!);
    return mapped != null ? `${mapped}.${suffix}` : null;
}

/** n_ff as llama.cpp of mid-2023 computed it from n_mult (llm_load: 70B files, gqa 8, used ffn_mult 1.3). */
export function nFfFromNMult(nEmbd: number, nMult: number, gqa: number): number {
    const raw = Math.trunc(2 * (4 * nEmbd) / 3);
    const scaled = gqa === 8 ? Math.trunc(1.3 * raw) : raw;
    return Math.ceil(scaled / nMult) * nMult;
}

export function mapGgjtToGguf(file: string, header: GgjtHeader, options: MapGgjtOptions = {}): GgjtMapping {
    const fail = (reason: string): never => {
        throw new ModelFileError(file, reason);
    };
    const {hparams: hp, tensors} = header;
    const byName = new Map(tensors.map((tensor) => [tensor.name, tensor]));
    const need = (name: string, dims: readonly number[]): GgjtTensor => {
        const tensor = byName.get(name);
        if (tensor == null)
            return fail(`is not a complete LLaMA ggjt file: tensor "${name}" is missing (n_layer ${hp.nLayer})`);
        if (tensor.dims.length !== dims.length || tensor.dims.some((dim, i) => dims[i] !== -1 && dim !== dims[i]))
            fail(`corrupt tensor table: tensor "${name}" is ${tensor.dims.join(" x ")}, expected ${dims.map((d) => d === -1 ? "?" : d).join(" x ")} from the header`);
        return tensor;
    };

    // n_head_kv from the key projection's shape: [n_embd, n_embd / gqa]
    const wk = need("layers.0.attention.wk.weight", [hp.nEmbd, -1]);
    const headDim = hp.nEmbd / hp.nHead;
    if (wk.dims[1]! % headDim !== 0 || hp.nHead % (wk.dims[1]! / headDim) !== 0)
        fail(`corrupt tensor table: layers.0.attention.wk is ${wk.dims.join(" x ")}, not a whole number of ${headDim}-wide heads dividing n_head ${hp.nHead}`);
    const nHeadKv = wk.dims[1]! / headDim;
    if (options.gqa != null && (!Number.isInteger(options.gqa) || options.gqa < 1 || hp.nHead / options.gqa !== nHeadKv))
        fail(`--gqa ${options.gqa} does not fit the file: its layers.0.attention.wk is ${wk.dims.join(" x ")}, so n_head_kv is ${nHeadKv} (gqa ${hp.nHead / nHeadKv})`);
    const gqa = hp.nHead / nHeadKv;

    // n_ff from n_mult, checked against the first feed-forward matrix; the matrix decides, since llama.cpp
    // checks every tensor's shape against n_ff when it loads
    const w1 = need("layers.0.feed_forward.w1.weight", [hp.nEmbd, -1]);
    const fromNMult = hp.nMult > 0 ? nFfFromNMult(hp.nEmbd, hp.nMult, gqa) : 0;
    const nFf = fromNMult === w1.dims[1] ? fromNMult : w1.dims[1]!;
    const nEmbdKv = headDim * nHeadKv;

    const expected: Array<[string, number[]]> = [["tok_embeddings.weight", [hp.nEmbd, hp.nVocab]], ["norm.weight", [hp.nEmbd]], ["output.weight", [hp.nEmbd, hp.nVocab]]];
    for (let i = 0; i < hp.nLayer; i++)
        expected.push(
            [`layers.${i}.attention_norm.weight`, [hp.nEmbd]],
            [`layers.${i}.attention.wq.weight`, [hp.nEmbd, hp.nEmbd]],
            [`layers.${i}.attention.wk.weight`, [hp.nEmbd, nEmbdKv]],
            [`layers.${i}.attention.wv.weight`, [hp.nEmbd, nEmbdKv]],
            [`layers.${i}.attention.wo.weight`, [hp.nEmbd, hp.nEmbd]],
            [`layers.${i}.ffn_norm.weight`, [hp.nEmbd]],
            [`layers.${i}.feed_forward.w1.weight`, [hp.nEmbd, nFf]],
            [`layers.${i}.feed_forward.w2.weight`, [nFf, hp.nEmbd]],
            [`layers.${i}.feed_forward.w3.weight`, [hp.nEmbd, nFf]]
        );
    for (const [name, dims] of expected)
        need(name, dims);

    const mapped: MappedTensor[] = [];
    let dataBytes = 0;
    for (const tensor of tensors) {
        const name = ggufTensorName(tensor.name);
        if (name == null)
            fail(`tensor "${tensor.name}" is not a LLaMA tensor (LlamaMeter converts LLaMA-architecture ggjt files)`);
        mapped.push({entry: {name: name!, ggmlType: tensor.type, dims: tensor.dims, offset: dataBytes}, source: tensor});
        dataBytes += alignUp(tensor.bytes, GGUF_ALIGNMENT);
    }

    const quantized = tensors.some((tensor) => tensor.type !== GGML_TYPE.F32 && tensor.type !== GGML_TYPE.F16);
    const ftypeName = GGJT_FTYPE_NAMES.get(hp.ftype) ?? String(hp.ftype);
    const vocab = mapVocab(header);
    const kvs: GgufKv[] = [
        {key: "general.architecture", type: "string", value: "llama"},
        {key: "general.name", type: "string", value: path.basename(file)},
        {key: "general.description", type: "string", value: `converted from legacy ${GGJT_V3_LABEL} ${ftypeName} format by LlamaMeter`},
        {key: "general.file_type", type: "u32", value: hp.ftype},
        {key: "general.alignment", type: "u32", value: GGUF_ALIGNMENT},
        // ggjt v3 blocks are quantization version 2 (GGML_QNT_VERSION of May 2023), as GGUF's are
        ...(quantized ? [{key: "general.quantization_version", type: "u32", value: 2} as const] : []),
        {key: CONVERTED_FROM_KEY, type: "string", value: GGJT_V3_LABEL},
        {key: "llama.context_length", type: "u32", value: options.contextLength ?? GGJT_CONTEXT_LENGTH},
        {key: "llama.embedding_length", type: "u32", value: hp.nEmbd},
        {key: "llama.block_count", type: "u32", value: hp.nLayer},
        {key: "llama.feed_forward_length", type: "u32", value: nFf},
        {key: "llama.rope.dimension_count", type: "u32", value: headDim},
        {key: "llama.attention.head_count", type: "u32", value: hp.nHead},
        {key: "llama.attention.head_count_kv", type: "u32", value: nHeadKv},
        // not in ggjt headers; the script's default (LLaMA-2 used 1e-5): it changes no timing
        {key: "llama.attention.layer_norm_rms_epsilon", type: "f32", value: 5e-6},
        {key: "tokenizer.ggml.model", type: "string", value: "llama"},
        {key: "tokenizer.ggml.pre", type: "string", value: "default"},
        {key: "tokenizer.ggml.tokens", type: "string[]", value: vocab.tokens},
        {key: "tokenizer.ggml.scores", type: "f32[]", value: header.scores},
        {key: "tokenizer.ggml.token_type", type: "i32[]", value: vocab.types},
        {key: "tokenizer.ggml.unknown_token_id", type: "u32", value: 0},
        {key: "tokenizer.ggml.bos_token_id", type: "u32", value: 1},
        {key: "tokenizer.ggml.eos_token_id", type: "u32", value: 2}
    ];
    return {kvs, tensors: mapped, dataBytes, nHeadKv, nFf};
}

const spaceMarker = Buffer.from("\u2581", "utf8");

/**
 * The script's vocabulary mapping: ggjt files store SentencePiece pieces with "▁" turned into spaces and
 * byte tokens (ids 3-258) as the raw byte; GGUF wants them back as "▁" and "<0xXX>", with token types.
 */
function mapVocab(header: GgjtHeader): {tokens: Uint8Array[], types: number[]} {
    const tokens: Uint8Array[] = [];
    const types: number[] = [];
    header.tokens.forEach((bytes, id) => {
        if (id <= 2) {
            tokens.push(Buffer.from(["<unk>", "<s>", "</s>"][id]!, "utf8"));
            types.push(id === 0 ? TOKEN_TYPE.unknown : TOKEN_TYPE.control);
        } else if (bytes.length === 0) {
            tokens.push(bytes);
            types.push(TOKEN_TYPE.control);
        } else if (id <= 258 && bytes.length === 1) {
            tokens.push(Buffer.from(`<0x${bytes[0]!.toString(16).toUpperCase().padStart(2, "0")}>`, "utf8"));
            types.push(TOKEN_TYPE.byte);
        } else {
            tokens.push(replaceSpaces(bytes));
            types.push(TOKEN_TYPE.normal);
        }
    });
    return {tokens, types};
}

function replaceSpaces(bytes: Buffer): Buffer {
    if (!bytes.includes(0x20))
        return bytes;
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++)
        if (bytes[i] === 0x20) {
            parts.push(bytes.subarray(start, i), spaceMarker);
            start = i + 1;
        }
    parts.push(bytes.subarray(start));
    return Buffer.concat(parts);
}
