// Writes one file (or folder) per way a model file can be bad, each derived from a real tiny synthetic
// model, for tests of everything that must refuse bad input with a clear reason before llama.cpp sees it.
import fs from "node:fs/promises";
import path from "node:path";
import {SHAPE_PRESETS} from "./shapePresets.js";
import {writeSyntheticGguf} from "./writeSyntheticGguf.js";

/** Fixture name -> what validateGguf's reason says about it (a fragment, for tests). */
export const BAD_GGUF_REASONS = {
    missing: "file not found",
    directory: "is a directory",
    empty: "file is empty",
    text: "is a text file",
    badMagic: "bad magic",
    badVersion: "GGUF version 99 is not supported",
    headerCutShort: "header cut short",
    absurdStringLength: "longer than the whole file",
    absurdArrayLength: "more than the whole file",
    tooManyDims: "has 99 dimensions",
    unknownTensorType: "unknown tensor type id 99",
    offsetBeyondFile: "beyond the end of the file",
    dataCutShort: "tensor data cut short"
} as const;

export type BadGgufFixture = keyof typeof BAD_GGUF_REASONS;

/** Writes the fixtures into `dir` (created if needed); returns fixture name -> path. */
export async function writeBadGgufFixtures(dir: string): Promise<Record<BadGgufFixture | "good", string>> {
    await fs.mkdir(dir, {recursive: true});
    const at = (name: string) => path.join(dir, name);

    const good = at("good-tiny-q4_0.gguf");
    await writeSyntheticGguf({shape: SHAPE_PRESETS.tiny!, type: "q4_0", outPath: good, seed: 7});
    const bytes = await fs.readFile(good); // a tiny model: under 1 MB
    const copy = () => Buffer.from(bytes);

    const firstTensor = locateTensorInfo(bytes, "token_embd.weight");
    const tokensArray = locateKey(bytes, "tokenizer.ggml.tokens");
    const dataStart = findDataStart(bytes, firstTensor);

    const files: Record<BadGgufFixture | "good", string> = {
        good,
        missing: at("missing.gguf"),
        directory: at("directory.gguf"),
        empty: at("empty.gguf"),
        text: at("text.gguf"),
        badMagic: at("bad-magic.gguf"),
        badVersion: at("bad-version.gguf"),
        headerCutShort: at("header-cut-short.gguf"),
        absurdStringLength: at("absurd-string-length.gguf"),
        absurdArrayLength: at("absurd-array-length.gguf"),
        tooManyDims: at("too-many-dims.gguf"),
        unknownTensorType: at("unknown-tensor-type.gguf"),
        offsetBeyondFile: at("offset-beyond-file.gguf"),
        dataCutShort: at("data-cut-short.gguf")
    };

    await fs.rm(files.missing, {force: true, recursive: true});
    await fs.mkdir(files.directory, {recursive: true});
    await fs.writeFile(files.empty, Buffer.alloc(0));
    await fs.writeFile(files.text, "This is not a model.\nJust some notes someone saved with a .gguf name.\n");

    const badMagic = copy();
    badMagic.write("GGUX", 0, "latin1");
    await fs.writeFile(files.badMagic, badMagic);

    const badVersion = copy();
    badVersion.writeUInt32LE(99, 4);
    await fs.writeFile(files.badVersion, badVersion);

    // cut inside the metadata, as an interrupted download of the first few KB would be
    await fs.writeFile(files.headerCutShort, bytes.subarray(0, 200));

    // the first key's length (right after magic, version and the two counts) set to 1 TB
    const absurdString = copy();
    absurdString.writeBigUInt64LE(1n << 40n, 24);
    await fs.writeFile(files.absurdStringLength, absurdString);

    const absurdArray = copy();
    absurdArray.writeBigUInt64LE(1n << 50n, tokensArray.valueAt + 4 + 4); // value type, element type, count
    await fs.writeFile(files.absurdArrayLength, absurdArray);

    const tooManyDims = copy();
    tooManyDims.writeUInt32LE(99, firstTensor.nDimsAt);
    await fs.writeFile(files.tooManyDims, tooManyDims);

    const unknownType = copy();
    unknownType.writeUInt32LE(99, firstTensor.typeAt);
    await fs.writeFile(files.unknownTensorType, unknownType);

    const offsetBeyond = copy();
    offsetBeyond.writeBigUInt64LE(1_000_000_000_000n, firstTensor.typeAt + 4);
    await fs.writeFile(files.offsetBeyondFile, offsetBeyond);

    // the whole header, half the tensor data
    await fs.writeFile(files.dataCutShort, bytes.subarray(0, dataStart + Math.floor((bytes.length - dataStart) / 2)));

    return files;
}

/** Byte positions of a tensor info's fields, found by its name (which appears once in the header). */
function locateTensorInfo(bytes: Buffer, name: string): {nDimsAt: number, typeAt: number} {
    const nameAt = bytes.indexOf(Buffer.from(name, "utf8"));
    if (nameAt < 8 || bytes.readBigUInt64LE(nameAt - 8) !== BigInt(name.length))
        throw new Error(`Tensor info "${name}" not found in the fixture`);

    const nDimsAt = nameAt + name.length;
    const nDims = bytes.readUInt32LE(nDimsAt);
    return {nDimsAt, typeAt: nDimsAt + 4 + nDims * 8};
}

/** Byte position of a metadata key's value (its type field). */
function locateKey(bytes: Buffer, key: string): {valueAt: number} {
    const keyAt = bytes.indexOf(Buffer.from(key, "utf8"));
    if (keyAt < 8 || bytes.readBigUInt64LE(keyAt - 8) !== BigInt(key.length))
        throw new Error(`Metadata key "${key}" not found in the fixture`);
    return {valueAt: keyAt + key.length};
}

/** Where tensor data starts: after the last tensor info, aligned to 32. */
function findDataStart(bytes: Buffer, firstTensor: {nDimsAt: number}): number {
    // tensor count is at byte 8; walk the tensor infos from the first one
    const tensorCount = Number(bytes.readBigUInt64LE(8));
    let at = firstTensor.nDimsAt - 8 - "token_embd.weight".length;
    for (let i = 0; i < tensorCount; i++) {
        const nameLength = Number(bytes.readBigUInt64LE(at));
        at += 8 + nameLength;
        const nDims = bytes.readUInt32LE(at);
        at += 4 + nDims * 8 + 4 + 8;
    }
    return Math.ceil(at / 32) * 32;
}
