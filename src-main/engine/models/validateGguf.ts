// Checks a GGUF file's header before anything hands the file to node-llama-cpp or llama.cpp, whose
// parsers trust the header: a corrupt one can make them spin for minutes and allocate gigabytes (99
// tensor dimensions), or crash. Only the header is read, in bounded windows; every length it states is
// checked against the file size before it is used. The checks mirror gguf.cpp's (gguf_init_from_file).
import fs from "node:fs/promises";
import {ModelFileError} from "./ModelFileError.js";
import {openModelFile} from "./openModelFile.js";
import {ggmlTypeTraits, REMOVED_GGML_TYPES} from "./ggmlTypes.js";
import {legacyGgmlFormat} from "./legacyGgmlFormat.js";

const maxDims = 4; // GGML_MAX_DIMS
const maxNameLength = 63; // GGML_MAX_NAME - 1 (room for the NUL)
const maxArrayElements = 1024 * 1024 * 1024; // GGUF_MAX_ARRAY_ELEMENTS
const defaultAlignment = 32;
const windowBytes = 1024 * 1024;
const maxPlausibleCount = 1n << 24n;
/** Bytes of each fixed-size GGUF value type; 8 = string (length prefix at least), 9 = array. */
const valueTypeBytes: ReadonlyMap<number, number> = new Map([
    [0, 1], [1, 1], [2, 2], [3, 2], [4, 4], [5, 4], [6, 4], [7, 1], [10, 8], [11, 8], [12, 8]
]);
const stringType = 8;
const arrayType = 9;
const u32Type = 4;

/** Throws ModelFileError naming the first problem found; resolves when the header is sound. */
export async function validateGguf(file: string): Promise<void> {
    const fail = (reason: string): never => {
        throw new ModelFileError(file, reason);
    };

    const handle = await openModelFile(file, "GGUF file");

    try {
        const stat = await handle.stat();
        if (stat.isDirectory())
            fail("is a directory, not a GGUF file");
        if (!stat.isFile())
            fail("is not a regular file");
        if (stat.size === 0)
            fail("file is empty (0 bytes)");

        const reader = new HeaderReader(handle, stat.size, fail);
        await checkMagicAndVersion(reader, fail);
        await checkBody(reader, fail);
    } catch (err) {
        if (err instanceof ModelFileError)
            throw err;
        throw new ModelFileError(file, `cannot read the file (${(err as Error).message})`, {cause: err});
    } finally {
        await handle.close();
    }
}

async function checkMagicAndVersion(reader: HeaderReader, fail: (reason: string) => never): Promise<void> {
    const head = await reader.peek(Math.min(reader.fileSize, 512));
    const magic = head.subarray(0, 4).toString("latin1");
    if (magic !== "GGUF") {
        if (looksLikeText(head)) {
            const text = head.toString("utf8");
            if (text.startsWith("version https://git-lfs"))
                fail("is a Git LFS pointer file, not the model itself (fetch the real file, e.g. `git lfs pull`)");
            if (/^\s*<(!doctype html|html)/i.test(text))
                fail("is an HTML page, not a GGUF file (a failed download?)");
            // Never quote it: through a symlink in a models folder, the audit's error showed a line of /etc/shadow.
            fail("is a text file, not a GGUF file");
        }
        if (reader.fileSize < 4)
            fail(`file is only ${reader.fileSize} bytes: too short to be a GGUF file`);
        const legacy = legacyGgmlFormat(head);
        if (legacy != null)
            fail(legacy.refusal ?? `is a ${legacy.label} file, the old GGML format llama.cpp no longer loads, not GGUF: LlamaMeter's bench converts it to GGUF first`);
        // Nor its bytes: the error reaches the UI, and the file may be anything the folder links to.
        fail("bad magic: it does not start with \"GGUF\": not a GGUF file");
    }

    reader.skip(4, "magic");
    const version = await reader.u32();
    if (version === 0)
        fail("bad GGUF version 0");
    if ((version & 0xffff) === 0)
        fail(`GGUF version field 0x${version.toString(16)} looks byte-swapped: a big-endian file, which cannot load on this machine`);
    if (version === 1)
        fail("GGUF version 1 is no longer supported by llama.cpp (re-convert the model)");
    if (version > 3)
        fail(`GGUF version ${version} is not supported (this llama.cpp reads versions 2 and 3)`);
}

interface TensorEntry {
    name: string,
    type: number,
    bytes: bigint,
    offset: bigint
}

async function checkBody(reader: HeaderReader, fail: (reason: string) => never): Promise<void> {
    const tensorCount = await reader.u64();
    const kvCount = await reader.u64();
    // the smallest tensor info is 24 bytes and key/value 13: counts the file cannot hold are corrupt when no
    // real model has that many (else the file is more likely cut short, which the reads below report)
    if (tensorCount * 24n > BigInt(reader.fileSize) && tensorCount > maxPlausibleCount)
        fail(`corrupt header: it claims ${tensorCount} tensors, more than a ${reader.fileSize}-byte file can describe`);
    if (kvCount * 13n > BigInt(reader.fileSize) && kvCount > maxPlausibleCount)
        fail(`corrupt header: it claims ${kvCount} metadata entries, more than a ${reader.fileSize}-byte file can hold`);

    let alignment = defaultAlignment;
    const keys = new Set<string>();
    for (let i = 0; i < Number(kvCount); i++) {
        const key = await reader.string("metadata key");
        if (key.length === 0)
            fail(`corrupt header: metadata key ${i} is empty`);
        if (keys.has(key))
            fail(`corrupt header: duplicate metadata key "${key}"`);
        keys.add(key);

        const type = await reader.u32();
        if (key === "general.alignment") {
            if (type !== u32Type)
                fail(`corrupt header: general.alignment must be a uint32 (type ${u32Type}), found type ${type}`);
            alignment = await reader.u32();
            if (alignment === 0 || (alignment & (alignment - 1)) !== 0)
                fail(`corrupt header: general.alignment ${alignment} is not a power of 2`);
            continue;
        }
        await skipValue(reader, key, type, fail);
    }

    const tensors: TensorEntry[] = [];
    const names = new Set<string>();
    for (let i = 0; i < Number(tensorCount); i++) {
        const name = await reader.string("tensor name");
        if (name.length > maxNameLength)
            fail(`corrupt tensor table: tensor name "${name.slice(0, 80)}..." is longer than ${maxNameLength} characters`);
        if (names.has(name))
            fail(`corrupt tensor table: duplicate tensor "${name}"`);
        names.add(name);

        const nDims = await reader.u32();
        if (nDims > maxDims)
            fail(`corrupt tensor table: tensor "${name}" has ${nDims} dimensions (llama.cpp allows at most ${maxDims})`);

        const dims: bigint[] = [];
        for (let d = 0; d < nDims; d++) {
            const dim = await reader.u64();
            if (dim >= 1n << 63n)
                fail(`corrupt tensor table: tensor "${name}" has a negative dimension`);
            dims.push(dim);
        }
        const elements = dims.reduce((a, b) => a * b, 1n);
        if (elements >= 1n << 63n)
            fail(`corrupt tensor table: tensor "${name}" has an absurd size (${dims.join(" x ")} elements)`);

        const type = await reader.u32();
        const traits = ggmlTypeTraits(type);
        if (traits == null) {
            const removed = REMOVED_GGML_TYPES.get(type);
            fail(removed != null
                ? `tensor "${name}" has type ${removed} (id ${type}), which llama.cpp no longer supports in GGUF files`
                : `tensor "${name}" has unknown tensor type id ${type} (not a ggml type this llama.cpp knows)`);
        }
        const rowLength = dims[0] ?? 1n;
        if (rowLength % BigInt(traits!.blockSize) !== 0n)
            fail(`corrupt tensor table: tensor "${name}" rows of ${rowLength} elements are not whole ${traits!.name} blocks of ${traits!.blockSize}`);

        const offset = await reader.u64();
        tensors.push({
            name,
            type,
            bytes: elements / BigInt(traits!.blockSize) * BigInt(traits!.bytesPerBlock),
            offset
        });
    }

    if (tensors.length === 0)
        fail("contains no tensors (a vocabulary-only GGUF file?)");

    // gguf.cpp requires each tensor at the next aligned offset after the previous one
    const fileSize = BigInt(reader.fileSize);
    const dataStart = BigInt(alignUp(reader.position, alignment));
    let expected = 0n;
    let dataEnd = dataStart;
    for (const tensor of tensors) {
        const start = dataStart + tensor.offset;
        const end = start + tensor.bytes;
        if (tensor.offset !== expected) {
            if (end > fileSize)
                fail(`corrupt tensor table: tensor "${tensor.name}" has offset ${tensor.offset}, placing its data (bytes ${start} to ${end}) beyond the end of the file (${fileSize} bytes)`);
            fail(`corrupt tensor table: tensor "${tensor.name}" has offset ${tensor.offset}, expected ${expected}`);
        }
        expected += (tensor.bytes + BigInt(alignment) - 1n) / BigInt(alignment) * BigInt(alignment);
        if (end > dataEnd)
            dataEnd = end;
    }
    if (dataEnd > fileSize)
        fail(`tensor data cut short: the file has ${fileSize} bytes but its tensors end at byte ${dataEnd} (${dataEnd - fileSize} bytes missing; an incomplete download?)`);
}

async function skipValue(reader: HeaderReader, key: string, type: number, fail: (reason: string) => never): Promise<void> {
    const fixed = valueTypeBytes.get(type);
    if (fixed != null) {
        reader.skip(fixed, `value of "${key}"`);
        return;
    }
    if (type === stringType) {
        await reader.skipString(`value of "${key}"`);
        return;
    }
    if (type !== arrayType)
        fail(`corrupt header: key "${key}" has unknown value type ${type}`);

    const elementType = await reader.u32();
    const count = await reader.u64();
    const elementBytes = elementType === stringType ? 8 : valueTypeBytes.get(elementType);
    if (elementBytes == null)
        fail(`corrupt header: array "${key}" has ${elementType === arrayType ? "nested arrays, which GGUF readers do not support" : `unknown element type ${elementType}`}`);

    const minBytes = count * BigInt(elementBytes!);
    if (count > BigInt(maxArrayElements) || minBytes > BigInt(reader.fileSize))
        fail(`corrupt header: array "${key}" claims ${count} elements (at least ${minBytes} bytes), more than the whole file (${reader.fileSize} bytes)`);

    if (elementType === stringType)
        await reader.skipStrings(Number(count), `array "${key}"`);
    else
        reader.skip(Number(minBytes), `array "${key}"`);
}

function alignUp(value: number, alignment: number): number {
    return Math.ceil(value / alignment) * alignment;
}

/** Printable UTF-8 with no NUL bytes in the first bytes: a text file, not a binary one. */
function looksLikeText(head: Buffer): boolean {
    if (head.length === 0 || head.includes(0))
        return false;
    const text = new TextDecoder("utf-8", {fatal: false}).decode(head);
    let odd = 0;
    for (const char of text) {
        const code = char.codePointAt(0)!;
        if (code === 0xfffd || (code < 0x20 && char !== "\n" && char !== "\r" && char !== "\t"))
            odd++;
    }
    return odd <= Math.max(1, text.length / 100);
}

/** Sequential little-endian reads over a window of the file; never reads past its end. */
class HeaderReader {
    private window = Buffer.alloc(0);
    private windowStart = 0;
    private pos = 0;

    constructor(
        private readonly handle: fs.FileHandle,
        readonly fileSize: number,
        private readonly fail: (reason: string) => never
    ) {}

    get position(): number {
        return this.pos;
    }

    /** The next `length` bytes without consuming them (length must fit in the file). */
    async peek(length: number): Promise<Buffer> {
        await this.ensure(length, "header");
        const at = this.pos - this.windowStart;
        return this.window.subarray(at, at + length);
    }

    async u32(): Promise<number> {
        await this.ensure(4, "header");
        const value = this.window.readUInt32LE(this.pos - this.windowStart);
        this.pos += 4;
        return value;
    }

    async u64(): Promise<bigint> {
        await this.ensure(8, "header");
        const value = this.window.readBigUInt64LE(this.pos - this.windowStart);
        this.pos += 8;
        return value;
    }

    async string(what: string): Promise<string> {
        const length = await this.stringLength(what);
        await this.ensure(length, what);
        const at = this.pos - this.windowStart;
        this.pos += length;
        return this.window.toString("utf8", at, at + length);
    }

    async skipString(what: string): Promise<void> {
        this.skip(await this.stringLength(what), what);
    }

    /** Skips `count` length-prefixed strings, synchronously while they lie in the window. */
    async skipStrings(count: number, what: string): Promise<void> {
        for (let i = 0; i < count; i++) {
            const at = this.pos - this.windowStart;
            if (at + 8 <= this.window.length) {
                const length = this.window.readBigUInt64LE(at);
                if (length <= BigInt(this.fileSize - this.pos - 8)) {
                    this.pos += 8 + Number(length);
                    continue;
                }
            }
            await this.skipString(what);
        }
        if (this.pos > this.fileSize)
            this.cutShort(this.pos, what);
    }

    /** Moves past `length` bytes, failing if they are not in the file. */
    skip(length: number, what: string): void {
        if (this.pos + length > this.fileSize)
            this.cutShort(this.pos + length, what);
        this.pos += length;
    }

    private async stringLength(what: string): Promise<number> {
        const at = this.pos;
        const length = await this.u64();
        if (length > BigInt(this.fileSize))
            this.fail(`corrupt header: the ${what} at byte ${at} claims a length of ${length} bytes, longer than the whole file (${this.fileSize} bytes)`);
        return Number(length);
    }

    private async ensure(length: number, what: string): Promise<void> {
        if (this.pos + length > this.fileSize)
            this.cutShort(this.pos + length, what);
        if (this.pos >= this.windowStart && this.pos + length <= this.windowStart + this.window.length)
            return;

        const readLength = Math.min(Math.max(length, windowBytes), this.fileSize - this.pos);
        const buffer = Buffer.alloc(readLength);
        const {bytesRead} = await this.handle.read(buffer, 0, readLength, this.pos);
        this.window = buffer.subarray(0, bytesRead);
        this.windowStart = this.pos;
        if (bytesRead < length)
            this.cutShort(this.pos + length, what);
    }

    private cutShort(needed: number, what: string): never {
        return this.fail(`header cut short: reading the ${what} needs byte ${needed} but the file ends at ${this.fileSize} bytes (truncated or incomplete download?)`);
    }
}
