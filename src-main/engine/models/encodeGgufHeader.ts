// Encodes a GGUF v3 header (magic, version, key/values, tensor infos) padded to the data alignment.
// Little-endian throughout, as llama.cpp expects on x86 and ARM.

/** GGUF metadata value types (gguf_type). */
export const GGUF_VALUE_TYPE = {
    u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12
} as const;

export type GgufKv =
    | {key: string, type: "u32" | "i32" | "f32", value: number}
    | {key: string, type: "u64", value: bigint}
    | {key: string, type: "bool", value: boolean}
    | {key: string, type: "string", value: string}
    /** Byte strings are written as they are: legacy vocabularies hold tokens that are not valid UTF-8 alone. */
    | {key: string, type: "string[]", value: readonly (string | Uint8Array)[]}
    | {key: string, type: "f32[]" | "i32[]", value: readonly number[]};

export interface GgufTensorEntry {
    name: string,
    ggmlType: number,
    dims: readonly number[],
    /** Offset within the data section (a multiple of the alignment). */
    offset: number
}

export const GGUF_MAGIC = "GGUF";
export const GGUF_VERSION = 3;

/** Header bytes, zero-padded so the tensor data starts on an `alignment` boundary. */
export function encodeGgufHeader(kvs: readonly GgufKv[], tensors: readonly GgufTensorEntry[], alignment: number): Buffer {
    const out = new ByteWriter();
    out.raw(Buffer.from(GGUF_MAGIC, "latin1"));
    out.u32(GGUF_VERSION);
    out.u64(BigInt(tensors.length));
    out.u64(BigInt(kvs.length));

    for (const kv of kvs) {
        out.string(kv.key);
        switch (kv.type) {
            case "u32": out.u32(GGUF_VALUE_TYPE.u32); out.u32(kv.value); break;
            case "i32": out.u32(GGUF_VALUE_TYPE.i32); out.i32(kv.value); break;
            case "f32": out.u32(GGUF_VALUE_TYPE.f32); out.f32(kv.value); break;
            case "u64": out.u32(GGUF_VALUE_TYPE.u64); out.u64(kv.value); break;
            case "bool": out.u32(GGUF_VALUE_TYPE.bool); out.u8(kv.value ? 1 : 0); break;
            case "string": out.u32(GGUF_VALUE_TYPE.string); out.string(kv.value); break;
            case "string[]":
                out.u32(GGUF_VALUE_TYPE.array); out.u32(GGUF_VALUE_TYPE.string); out.u64(BigInt(kv.value.length));
                for (const s of kv.value)
                    out.string(s);
                break;
            case "f32[]":
                out.u32(GGUF_VALUE_TYPE.array); out.u32(GGUF_VALUE_TYPE.f32); out.u64(BigInt(kv.value.length));
                for (const v of kv.value)
                    out.f32(v);
                break;
            case "i32[]":
                out.u32(GGUF_VALUE_TYPE.array); out.u32(GGUF_VALUE_TYPE.i32); out.u64(BigInt(kv.value.length));
                for (const v of kv.value)
                    out.i32(v);
                break;
        }
    }

    for (const tensor of tensors) {
        out.string(tensor.name);
        out.u32(tensor.dims.length);
        for (const dim of tensor.dims)
            out.u64(BigInt(dim));
        out.u32(tensor.ggmlType);
        out.u64(BigInt(tensor.offset));
    }

    out.padTo(alignment);
    return out.toBuffer();
}

/** Round up to a multiple of `alignment`. */
export function alignUp(value: number, alignment: number): number {
    return Math.ceil(value / alignment) * alignment;
}

/** An append-only little-endian byte buffer that grows as needed. */
class ByteWriter {
    private buffer = Buffer.alloc(64 * 1024);
    private length = 0;

    private reserve(bytes: number): number {
        if (this.length + bytes > this.buffer.length) {
            const bigger = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + bytes));
            this.buffer.copy(bigger, 0, 0, this.length);
            this.buffer = bigger;
        }
        const at = this.length;
        this.length += bytes;
        return at;
    }

    // reserve() may replace this.buffer, so it must run before this.buffer is read
    u8(v: number) { const at = this.reserve(1); this.buffer.writeUInt8(v, at); }
    u32(v: number) { const at = this.reserve(4); this.buffer.writeUInt32LE(v, at); }
    i32(v: number) { const at = this.reserve(4); this.buffer.writeInt32LE(v, at); }
    f32(v: number) { const at = this.reserve(4); this.buffer.writeFloatLE(v, at); }
    u64(v: bigint) { const at = this.reserve(8); this.buffer.writeBigUInt64LE(v, at); }

    raw(bytes: Uint8Array) {
        const at = this.reserve(bytes.length);
        this.buffer.set(bytes, at);
    }

    string(s: string | Uint8Array) {
        const bytes = typeof s === "string" ? Buffer.from(s, "utf8") : s;
        this.u64(BigInt(bytes.length));
        this.raw(bytes);
    }

    padTo(alignment: number) {
        this.reserve(alignUp(this.length, alignment) - this.length); // Buffer.alloc zero-fills
    }

    toBuffer(): Buffer {
        return this.buffer.subarray(0, this.length);
    }
}
