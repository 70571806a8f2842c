// Reads a ggjt v3 file's header: hyper-parameters, vocabulary with scores, and the tensor table (each
// tensor's name, type, shape and where its data lies). The layout is llama.cpp's loader of mid-2023
// (llama_file_loader: read_magic, read_hparams, read_vocab, read_tensor_metadata) and
// convert_llama_ggml_to_gguf.py's reader:
//   magic u32 "ggjt", version u32 = 3
//   n_vocab, n_embd, n_mult, n_head, n_layer, n_rot, ftype: 7 x u32
//   n_vocab x (length u32, bytes, score f32)
//   until the end of the file, per tensor: n_dims u32, name_length u32, type u32, ne[n_dims] u32, name,
//   zero padding to the next multiple of 32 bytes of the file, then the data.
// Every count and length is checked against the file size before it is used, in bounded reads, so a
// truncated or corrupt file gets a one-line ModelFileError instead of a huge allocation.
import fs from "node:fs/promises";
import {ModelFileError} from "./ModelFileError.js";
import {GGML_TYPE, REMOVED_GGML_TYPES, ggmlTypeName, ggmlTypeTraits} from "./ggmlTypes.js";
import {legacyGgmlFormat} from "./legacyGgmlFormat.js";
import {alignUp} from "./encodeGgufHeader.js";
import {openModelFile} from "./openModelFile.js";

export interface GgjtHparams {
    nVocab: number,
    nEmbd: number,
    nMult: number,
    nHead: number,
    nLayer: number,
    nRot: number,
    /** llama_ftype, the same ids GGUF's general.file_type uses. */
    ftype: number
}

export interface GgjtTensor {
    /** The legacy name, e.g. "layers.0.attention.wq.weight". */
    name: string,
    type: number,
    /** ggml's ne order, as GGUF stores it: dims[0] is the row length. */
    dims: number[],
    /** Absolute file offset of the data (a multiple of 32). */
    offset: number,
    bytes: number
}

export interface GgjtHeader {
    fileSize: number,
    hparams: GgjtHparams,
    /** Token bytes as stored (spaces as " ", byte tokens as the single byte). */
    tokens: Buffer[],
    scores: number[],
    tensors: GgjtTensor[]
}

/**
 * The tensor types a ggjt v3 file may hold that LlamaMeter converts: their blocks are GGUF's, byte for byte.
 * The k-quants (June 2023) are among them: llama.cpp's quantizer of mid-2023 already wrote output.weight as
 * Q6_K in its Q4_0/Q5_x files when built with k-quants (the default), and the *_K_M mixes were common
 * downloads. A build with LLAMA_QKK_64 wrote 64-element k-quant blocks, which the file does not record:
 * its tensor sizes then disagree with the file and it fails as a corrupt tensor table, never silently.
 */
export const GGJT_CONVERTIBLE_TYPES: readonly number[] = [
    GGML_TYPE.F32, GGML_TYPE.F16, GGML_TYPE.Q4_0, GGML_TYPE.Q4_1, GGML_TYPE.Q5_0, GGML_TYPE.Q5_1, GGML_TYPE.Q8_0,
    GGML_TYPE.Q2_K, GGML_TYPE.Q3_K, GGML_TYPE.Q4_K, GGML_TYPE.Q5_K, GGML_TYPE.Q6_K
];

/** llama_ftype names of 2023 (convert_llama_ggml_to_gguf.py's GGMLFType). */
export const GGJT_FTYPE_NAMES: ReadonlyMap<number, string> = new Map([
    [0, "ALL_F32"], [1, "MOSTLY_F16"], [2, "MOSTLY_Q4_0"], [3, "MOSTLY_Q4_1"], [4, "MOSTLY_Q4_1_SOME_F16"],
    [7, "MOSTLY_Q8_0"], [8, "MOSTLY_Q5_0"], [9, "MOSTLY_Q5_1"], [10, "MOSTLY_Q2_K"], [11, "MOSTLY_Q3_K_S"],
    [12, "MOSTLY_Q3_K_M"], [13, "MOSTLY_Q3_K_L"], [14, "MOSTLY_Q4_K_S"], [15, "MOSTLY_Q4_K_M"],
    [16, "MOSTLY_Q5_K_S"], [17, "MOSTLY_Q5_K_M"], [18, "MOSTLY_Q6_K"]
]);

export const GGJT_ALIGNMENT = 32;

const headerBytes = 8 + 7 * 4;
const maxTokenBytes = 4096; // convert_llama_ggml_to_gguf.py: "Absurd vocab item length"
const maxNameBytes = 4096;
const maxTensors = 100_000;

export async function readGgjtHeader(file: string, options: {signal?: AbortSignal} = {}): Promise<GgjtHeader> {
    const fail = (reason: string): never => {
        throw new ModelFileError(file, reason);
    };
    const handle = await openModelFile(file, "GGML file");

    try {
        const fileSize = (await handle.stat()).size;
        const reader = new WindowReader(handle, fileSize, fail);
        const head = await reader.bytes(Math.min(8, fileSize), "magic");
        const format = legacyGgmlFormat(head);
        if (format == null)
            fail("is not a GGML file (no ggml/ggmf/ggjt magic)");
        if (format!.refusal != null)
            fail(format!.refusal);

        const [nVocab, nEmbd, nMult, nHead, nLayer, nRot, ftype] = await reader.u32s(7, "hyper-parameters");
        const hparams: GgjtHparams = {nVocab: nVocab!, nEmbd: nEmbd!, nMult: nMult!, nHead: nHead!, nLayer: nLayer!, nRot: nRot!, ftype: ftype!};
        checkHparams(hparams, fileSize, fail);

        const tokens: Buffer[] = [];
        const scores: number[] = [];
        for (let i = 0; i < hparams.nVocab; i++) {
            const length = await reader.u32("vocabulary");
            if (length >= maxTokenBytes)
                fail(`corrupt vocabulary: token ${i} claims a length of ${length} bytes (at most ${maxTokenBytes - 1})`);
            tokens.push(Buffer.from(await reader.bytes(length, "vocabulary")));
            scores.push(await reader.f32("vocabulary"));
        }

        // tensor headers sit between megabytes of data: read a little past each, not a whole window
        reader.readAhead = 4096;
        const tensors: GgjtTensor[] = [];
        const names = new Set<string>();
        while (reader.position < fileSize) {
            options.signal?.throwIfAborted();
            if (tensors.length >= maxTensors)
                fail(`corrupt tensor table: more than ${maxTensors} tensors`);
            const [nDims, nameLength, type] = await reader.u32s(3, "tensor table");
            if (nDims! < 1 || nDims! > 4)
                fail(`corrupt tensor table: tensor ${tensors.length} has ${nDims} dimensions (1 to 4 expected)`);
            if (nameLength! < 1 || nameLength! >= maxNameBytes)
                fail(`corrupt tensor table: tensor ${tensors.length} has a name of ${nameLength} bytes`);
            const dims = await reader.u32s(nDims!, "tensor table");
            const name = (await reader.bytes(nameLength!, "tensor table")).toString("utf8");
            if (names.has(name))
                fail(`corrupt tensor table: duplicate tensor "${name}"`);
            names.add(name);
            if (dims.some((dim) => dim === 0))
                fail(`corrupt tensor table: tensor "${name}" has a zero dimension (${dims.join(" x ")})`);

            const traits = ggmlTypeTraits(type!);
            if (traits == null || !GGJT_CONVERTIBLE_TYPES.includes(type!)) {
                const known = traits != null ? traits.name : REMOVED_GGML_TYPES.get(type!);
                fail(known != null
                    ? `tensor "${name}" has type ${known}, which llama.cpp never wrote into ggjt v3 model files: LlamaMeter converts ${GGJT_CONVERTIBLE_TYPES.map(ggmlTypeName).join(", ")}`
                    : `corrupt tensor table: tensor "${name}" has unknown type id ${type}`);
            }
            if (dims[0]! % traits!.blockSize !== 0)
                fail(`corrupt tensor table: tensor "${name}" rows of ${dims[0]} elements are not whole ${traits!.name} blocks of ${traits!.blockSize}`);

            const offset = alignUp(reader.position, GGJT_ALIGNMENT);
            const elements = dims.reduce((a, b) => a * BigInt(b), 1n);
            const bytes = elements / BigInt(traits!.blockSize) * BigInt(traits!.bytesPerBlock);
            const end = BigInt(offset) + bytes;
            if (end > BigInt(fileSize))
                fail(`tensor data cut short: tensor "${name}" (${dims.join(" x ")} ${traits!.name}) needs bytes ${offset} to ${end} but the file ends at ${fileSize} bytes (${end - BigInt(fileSize)} bytes missing; an incomplete download?)`);
            tensors.push({name, type: type!, dims, offset, bytes: Number(bytes)});
            reader.seek(Number(end));
        }
        if (tensors.length === 0)
            fail("contains no tensors (the file ends after the vocabulary)");

        return {fileSize, hparams, tokens, scores, tensors};
    } catch (err) {
        if (err instanceof ModelFileError || options.signal?.aborted)
            throw err;
        throw new ModelFileError(file, `cannot read the file (${(err as Error).message})`, {cause: err});
    } finally {
        await handle.close();
    }
}

function checkHparams(hp: GgjtHparams, fileSize: number, fail: (reason: string) => never): void {
    const described = `n_vocab ${hp.nVocab}, n_embd ${hp.nEmbd}, n_head ${hp.nHead}, n_layer ${hp.nLayer}`;
    // each token takes at least 8 bytes (length and score)
    if (hp.nVocab < 3 || hp.nVocab * 8 > fileSize - headerBytes)
        fail(`corrupt header: a vocabulary of ${hp.nVocab} tokens cannot fit in a ${fileSize}-byte file with its tensors`);
    if (hp.nEmbd < 1 || hp.nEmbd > 1 << 20 || hp.nHead < 1 || hp.nHead > hp.nEmbd || hp.nEmbd % hp.nHead !== 0)
        fail(`corrupt header: absurd hyper-parameters (${described})`);
    if (hp.nLayer < 1 || hp.nLayer > 4096)
        fail(`corrupt header: absurd layer count ${hp.nLayer}`);
    if (!GGJT_FTYPE_NAMES.has(hp.ftype))
        fail(`corrupt header: unknown file type ${hp.ftype} (llama.cpp's ggjt ftypes are ${[...GGJT_FTYPE_NAMES.keys()].join(", ")})`);
}

/** Little-endian reads through a window of the file that moves forward; never reads past its end. */
class WindowReader {
    private window = Buffer.alloc(0);
    private windowStart = 0;
    private pos = 0;
    /** Bytes read at once when the window moves. */
    readAhead = 1024 * 1024;

    constructor(private readonly handle: fs.FileHandle, private readonly fileSize: number, private readonly fail: (reason: string) => never) {}

    get position(): number {
        return this.pos;
    }

    seek(position: number): void {
        this.pos = position;
    }

    async u32(what: string): Promise<number> {
        return (await this.bytes(4, what)).readUInt32LE(0);
    }

    async f32(what: string): Promise<number> {
        return (await this.bytes(4, what)).readFloatLE(0);
    }

    async u32s(count: number, what: string): Promise<number[]> {
        const bytes = await this.bytes(4 * count, what);
        return Array.from({length: count}, (_, i) => bytes.readUInt32LE(4 * i));
    }

    /** The next `length` bytes (a view into the window: copy it to keep it). */
    async bytes(length: number, what: string): Promise<Buffer> {
        if (this.pos + length > this.fileSize)
            this.fail(`header cut short: reading the ${what} needs byte ${this.pos + length} but the file ends at ${this.fileSize} bytes (truncated or incomplete download?)`);
        if (this.pos < this.windowStart || this.pos + length > this.windowStart + this.window.length) {
            const readLength = Math.min(Math.max(length, this.readAhead), this.fileSize - this.pos);
            const buffer = Buffer.alloc(readLength);
            const {bytesRead} = await this.handle.read(buffer, 0, readLength, this.pos);
            if (bytesRead < length)
                this.fail(`cannot read the ${what}: the file shrank while it was read`);
            this.window = buffer.subarray(0, bytesRead);
            this.windowStart = this.pos;
        }
        const at = this.pos - this.windowStart;
        this.pos += length;
        return this.window.subarray(at, at + length);
    }
}
