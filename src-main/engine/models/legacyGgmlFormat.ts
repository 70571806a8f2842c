// Which pre-GGUF container a file is, from its first 8 bytes, and why LlamaMeter can or cannot convert it.
// llama.cpp's loader of mid-2023 (read_magic in llama.cpp, before GGUF in August 2023) knew these (magic, version) pairs;
// the magic is a little-endian uint32, so "ggjt" is stored as the bytes "tjgg".
//
// Only ggjt v3 is converted: its Q4_0/Q4_1/Q5_0/Q5_1/Q8_0 and k-quant blocks are the ones GGUF still uses, so its tensor
// bytes are copied unchanged. The older containers hold quantized blocks in layouts llama.cpp dropped:
// ggjt v2 (llama.cpp PR #1508, May 2023) moved Q4_0, Q4_1 and Q8_0 scales from f32 to f16 to make v3, and
// ggjt v1 and older (PR #1405) stored the 4- and 5-bit quants in a different nibble order, so their
// weights would have to be re-quantized, not copied; llama.cpp's convert_llama_ggml_to_gguf.py refuses the same.
import fs from "node:fs/promises";

export type LegacyMagic = "ggml" | "ggmf" | "ggjt" | "ggla" | "ggsn";

export interface LegacyGgmlFormat {
    magic: LegacyMagic,
    /** The version field; null for the unversioned "ggml" container, which has none. */
    version: number | null,
    /** "ggjt v3", "unversioned ggml", ... */
    label: string,
    /** Set when LlamaMeter cannot convert it: one line, the reason. */
    refusal?: string
}

const magics: ReadonlyMap<string, LegacyMagic> = new Map([
    ["lmgg", "ggml"], ["fmgg", "ggmf"], ["tjgg", "ggjt"], ["algg", "ggla"], ["nsgg", "ggsn"]
]);

const onlyV3 = "LlamaMeter converts only ggjt v3 (llama.cpp's last GGML format, May to August 2023), whose blocks GGUF still uses; " +
    "re-create the model from its original weights or download a GGUF";

/** The legacy container named by the file's first bytes, or null when they are not a legacy GGML magic. */
export function legacyGgmlFormat(head: Uint8Array): LegacyGgmlFormat | null {
    if (head.length < 4)
        return null;
    const magic = magics.get(Buffer.from(head.subarray(0, 4)).toString("latin1"));
    if (magic == null)
        return null;

    if (magic === "ggml")
        return {
            magic, version: null, label: "unversioned ggml",
            refusal: `is an unversioned GGML file (magic "ggml", llama.cpp's first format): no vocabulary scores, unaligned tensors, and quantized blocks in the nibble order llama.cpp dropped in May 2023; ${onlyV3}`
        };
    if (head.length < 8)
        return {magic, version: null, label: magic, refusal: `is a ${magic} file cut short before its version field (${head.length} bytes)`};

    const version = Buffer.from(head.subarray(4, 8)).readUInt32LE(0);
    const label = `${magic} v${version}`;
    if (magic === "ggla")
        return {magic, version, label, refusal: `is a GGML LoRA adapter (magic "ggla", version ${version}), not a model: LlamaMeter benchmarks whole models`};
    if (magic === "ggsn")
        return {magic, version, label, refusal: `is a llama.cpp session (KV-cache) file (magic "ggsn", version ${version}), not a model`};
    if (magic === "ggmf")
        return {
            magic, version, label,
            refusal: version === 1
                ? `is a GGMF v1 file (magic "ggmf", version 1): unaligned tensors and quantized blocks in the nibble order llama.cpp dropped in May 2023; ${onlyV3}`
                : `is a GGMF file of unknown version ${version} (llama.cpp only ever wrote version 1): corrupt, or not a llama.cpp file`
        };
    // ggjt
    if (version === 3)
        return {magic, version, label};
    if (version === 1)
        return {magic, version, label, refusal: `is a ggjt v1 file (magic "ggjt", version 1): its Q4/Q5/Q8 blocks use the nibble order llama.cpp dropped in ggjt v2 (May 2023), so the weights cannot be copied into GGUF; ${onlyV3}`};
    if (version === 2)
        return {magic, version, label, refusal: `is a ggjt v2 file (magic "ggjt", version 2, May 2023): its Q4_0, Q4_1 and Q8_0 blocks store f32 scales where ggjt v3 and GGUF store f16, so the weights cannot be copied into GGUF; ${onlyV3}`};
    return {magic, version, label, refusal: `is a ggjt file of unknown version ${version} (llama.cpp wrote versions 1 to 3): corrupt, or not a llama.cpp file`};
}

/** The legacy container of a file from its first 8 bytes; null when it is not one, or cannot be read. */
export async function readLegacyGgmlFormat(file: string): Promise<LegacyGgmlFormat | null> {
    let handle: fs.FileHandle | undefined;
    try {
        handle = await fs.open(file, "r");
        const head = Buffer.alloc(8);
        const {bytesRead} = await handle.read(head, 0, 8, 0);
        return legacyGgmlFormat(head.subarray(0, bytesRead));
    } catch {
        return null; // missing, unreadable, a folder: validateGguf says which
    } finally {
        await handle?.close();
    }
}
