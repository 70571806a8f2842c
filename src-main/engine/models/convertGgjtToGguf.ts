// Converts a ggjt v3 LLaMA file (llama.cpp's last GGML format) to GGUF v3. The tensor bytes are copied
// unchanged (ggjt v3 blocks are GGUF's), streamed in chunks so a 4 GB 7B file never needs its size in
// memory, under a ".partial" name renamed only when complete: an aborted or failed conversion never
// leaves a file that looks finished.
import fs from "node:fs/promises";
import path from "node:path";
import {encodeGgufHeader} from "./encodeGgufHeader.js";
import {mapGgjtToGguf, type MapGgjtOptions} from "./mapGgjtToGguf.js";
import {readGgjtHeader} from "./readGgjtHeader.js";
import {ModelFileError} from "./ModelFileError.js";
import {GGUF_ALIGNMENT} from "./writeSyntheticGguf.js";
import {progressWriter} from "./progressWriter.js";
import {movePartialIntoPlace} from "./movePartialIntoPlace.js";

const chunkBytes = 8 * 1024 * 1024;

export interface ConvertGgjtToGgufOptions extends MapGgjtOptions {
    source: string,
    /** Final path; written to `outPath + ".partial"` first. Parent folders are created. */
    outPath: string,
    signal?: AbortSignal,
    /** Called after each chunk written. */
    onProgress?: (writtenBytes: number, totalBytes: number) => void
}

export interface ConvertedGguf {
    path: string,
    bytes: number,
    tensors: number,
    nHeadKv: number,
    nFf: number
}

export async function convertGgjtToGguf(options: ConvertGgjtToGgufOptions): Promise<ConvertedGguf> {
    const {source, signal, onProgress} = options;
    signal?.throwIfAborted();
    const header = await readGgjtHeader(source, {signal});
    const mapping = mapGgjtToGguf(source, header, options);
    const head = encodeGgufHeader(mapping.kvs, mapping.tensors.map((tensor) => tensor.entry), GGUF_ALIGNMENT);
    const totalBytes = head.length + mapping.dataBytes;

    const finalPath = path.resolve(options.outPath);
    const partialPath = finalPath + ".partial";
    await fs.mkdir(path.dirname(finalPath), {recursive: true});

    const input = await fs.open(source, "r");
    const output = await fs.open(partialPath, "w");
    const chunk = Buffer.alloc(Math.min(chunkBytes, Math.max(GGUF_ALIGNMENT, ...header.tensors.map((tensor) => tensor.bytes))));
    const zeros = Buffer.alloc(GGUF_ALIGNMENT);
    const writer = progressWriter(output, totalBytes, {signal, onProgress});
    const write = (bytes: Uint8Array) => writer.write(bytes);

    try {
        // the source must still be the file whose header was read
        if ((await input.stat()).size !== header.fileSize)
            throw new ModelFileError(source, "the file changed size while it was converted");
        await write(head);
        for (const {entry, source: tensor} of mapping.tensors) {
            if (writer.written - head.length !== entry.offset)
                throw new Error(`ggjt converter bug: tensor "${entry.name}" at data offset ${writer.written - head.length}, planned ${entry.offset}`);
            let done = 0;
            while (done < tensor.bytes) {
                const length = Math.min(chunk.length, tensor.bytes - done);
                const {bytesRead} = await input.read(chunk, 0, length, tensor.offset + done);
                if (bytesRead !== length)
                    throw new ModelFileError(source, `the file ended while tensor "${tensor.name}" was copied (it shrank during the conversion?)`);
                await write(chunk.subarray(0, length));
                done += length;
            }
            const padding = (GGUF_ALIGNMENT - (tensor.bytes % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT;
            if (padding > 0)
                await write(zeros.subarray(0, padding));
        }
        await output.sync();
        await output.close();
        await input.close();
    } catch (err) {
        await output.close().catch(() => undefined);
        await input.close().catch(() => undefined);
        await fs.rm(partialPath, {force: true});
        throw err;
    }

    if (writer.written !== totalBytes) {
        await fs.rm(partialPath, {force: true});
        throw new Error(`ggjt converter bug: wrote ${writer.written} bytes, planned ${totalBytes}`);
    }
    await movePartialIntoPlace(partialPath, finalPath, signal);
    return {path: finalPath, bytes: totalBytes, tensors: mapping.tensors.length, nHeadKv: mapping.nHeadKv, nFf: mapping.nFf};
}
