// A buffer of random but valid weight blocks of one ggml type. The synthetic writer streams slices of it
// into every tensor of that type: inference speed does not depend on the values, only on their type and
// count, but the values must decode to small finite numbers so the model computes finite logits.
import {GGML_TYPE, ggmlTypeName, ggmlTypeTraits} from "./ggmlTypes.js";

/** IEEE half-precision bits of a float (round to nearest; subnormals kept). */
export function float32ToFloat16Bits(value: number): number {
    const f32 = new Float32Array([value]);
    const bits = new Uint32Array(f32.buffer)[0]!;
    const sign = (bits >>> 16) & 0x8000;
    const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    let mantissa = bits & 0x7fffff;

    if (((bits >>> 23) & 0xff) === 0xff)
        return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
    if (exponent >= 0x1f)
        return sign | 0x7c00;
    if (exponent <= 0) {
        if (exponent < -10)
            return sign;
        mantissa |= 0x800000;
        const shift = 14 - exponent;
        return sign | ((mantissa + (1 << (shift - 1))) >>> shift);
    }
    return (sign | (exponent << 10) | (mantissa >>> 13)) + ((mantissa >>> 12) & 1);
}

/**
 * Where each block type keeps its f16 scale fields, and the scale that makes weights of roughly
 * +-0.02 spread ("min" fields are set to centre the unsigned quants around zero).
 */
const blockScales: ReadonlyMap<number, Array<{offset: number, scale: number}>> = new Map([
    [GGML_TYPE.Q4_0, [{offset: 0, scale: 0.0043}]],
    [GGML_TYPE.Q4_1, [{offset: 0, scale: 0.0043}, {offset: 2, scale: -0.0043 * 7.5}]],
    [GGML_TYPE.Q5_0, [{offset: 0, scale: 0.0022}]],
    [GGML_TYPE.Q5_1, [{offset: 0, scale: 0.0022}, {offset: 2, scale: -0.0022 * 15.5}]],
    [GGML_TYPE.Q8_0, [{offset: 0, scale: 0.00027}]],
    [GGML_TYPE.Q4_K, [{offset: 0, scale: 0.0001}, {offset: 2, scale: 0.0001 * 7.5}]],
    [GGML_TYPE.Q5_K, [{offset: 0, scale: 0.00005}, {offset: 2, scale: 0.00005 * 15.5}]],
    [GGML_TYPE.Q6_K, [{offset: 208, scale: 0.000015}]]
]);

/** Whether makeWeightPattern can produce this type. */
export function canMakeWeightPattern(type: number): boolean {
    return type === GGML_TYPE.F32 || type === GGML_TYPE.F16 || blockScales.has(type);
}

/**
 * About `approxBytes` of whole, valid blocks of `type` with random contents. Any block-aligned slice of it
 * is valid tensor data.
 */
export function makeWeightPattern(type: number, approxBytes: number, random: () => number): Buffer {
    const traits = ggmlTypeTraits(type);
    if (traits == null || !canMakeWeightPattern(type))
        throw new Error(`Cannot write synthetic weights of type ${ggmlTypeName(type)}`);

    const blocks = Math.max(1, Math.floor(approxBytes / traits.bytesPerBlock));
    const buffer = Buffer.alloc(blocks * traits.bytesPerBlock);

    if (type === GGML_TYPE.F32) {
        for (let i = 0; i < buffer.length; i += 4)
            buffer.writeFloatLE((random() * 2 - 1) * 0.035, i);
        return buffer;
    }
    if (type === GGML_TYPE.F16) {
        for (let i = 0; i < buffer.length; i += 2)
            buffer.writeUInt16LE(float32ToFloat16Bits((random() * 2 - 1) * 0.035), i);
        return buffer;
    }

    // random quants and sub-block scales, then overwrite the f16 super-scales with small finite values
    for (let i = 0; i + 4 <= buffer.length; i += 4)
        buffer.writeUInt32LE(Math.floor(random() * 4294967296), i);
    for (let i = buffer.length - (buffer.length % 4); i < buffer.length; i++)
        buffer[i] = Math.floor(random() * 256);

    const scales = blockScales.get(type)!;
    for (let block = 0; block < blocks; block++) {
        const base = block * traits.bytesPerBlock;
        const jitter = 0.5 + random() * 0.5;
        for (const {offset, scale} of scales)
            buffer.writeUInt16LE(float32ToFloat16Bits(scale * jitter), base + offset);
    }
    return buffer;
}
