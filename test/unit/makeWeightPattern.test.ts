import {describe, expect, it} from "vitest";
import {GGML_TYPE, ggmlTypeTraits} from "../../src-main/engine/models/ggmlTypes.js";
import {canMakeWeightPattern, float32ToFloat16Bits, makeWeightPattern} from "../../src-main/engine/models/makeWeightPattern.js";
import {createRandom} from "../../src-main/engine/createRandom.js";

function float16BitsToNumber(bits: number): number {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0)
        return sign * mantissa * 2 ** -24;
    if (exponent === 0x1f)
        return mantissa === 0 ? sign * Infinity : NaN;
    return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

describe("float32ToFloat16Bits", () => {
    it("encodes normal, subnormal, overflow and special values", () => {
        expect(float32ToFloat16Bits(1)).toBe(0x3c00);
        expect(float32ToFloat16Bits(-2)).toBe(0xc000);
        expect(float32ToFloat16Bits(0)).toBe(0);
        expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
        expect(float32ToFloat16Bits(1e6)).toBe(0x7c00);
        expect(float32ToFloat16Bits(0.0001)).toBe(0x068e);
        expect(float32ToFloat16Bits(1e-5)).toBe(0x00a8); // subnormal: 1e-5 / 2^-24 = 167.8
        expect(float32ToFloat16Bits(1e-9)).toBe(0);
        expect(Number.isNaN(float16BitsToNumber(float32ToFloat16Bits(NaN)))).toBe(true);
        for (const value of [0.0043, 0.00027, 0.000015, -0.035, 0.5, 3.14159])
            expect(Math.abs(float16BitsToNumber(float32ToFloat16Bits(value)) - value) / Math.abs(value)).toBeLessThan(0.004);
    });
});

describe("makeWeightPattern", () => {
    const scaleOffsets: Record<number, number[]> = {
        [GGML_TYPE.Q4_0]: [0],
        [GGML_TYPE.Q5_0]: [0],
        [GGML_TYPE.Q5_1]: [0, 2],
        [GGML_TYPE.Q8_0]: [0],
        [GGML_TYPE.Q4_K]: [0, 2],
        [GGML_TYPE.Q5_K]: [0, 2],
        [GGML_TYPE.Q6_K]: [208]
    };

    it.each(Object.entries(scaleOffsets))("writes whole blocks of type %s with small finite scales", (type, offsets) => {
        const traits = ggmlTypeTraits(Number(type))!;
        const pattern = makeWeightPattern(Number(type), 100_000, createRandom(3));
        expect(pattern.length % traits.bytesPerBlock).toBe(0);
        expect(pattern.length).toBeGreaterThan(100_000 - traits.bytesPerBlock);
        const bad: number[] = [];
        for (let block = 0; block < pattern.length / traits.bytesPerBlock; block++)
            for (const offset of offsets) {
                const scale = float16BitsToNumber(pattern.readUInt16LE(block * traits.bytesPerBlock + offset));
                if (!Number.isFinite(scale) || Math.abs(scale) >= 0.05 || scale === 0)
                    bad.push(scale);
            }
        expect(bad).toEqual([]);
    });

    it("writes small float weights for F32 and F16", () => {
        const f32 = makeWeightPattern(GGML_TYPE.F32, 4000, createRandom(1));
        const f16 = makeWeightPattern(GGML_TYPE.F16, 4000, createRandom(1));
        let largest = 0;
        for (let i = 0; i < f32.length; i += 4)
            largest = Math.max(largest, Math.abs(f32.readFloatLE(i)));
        for (let i = 0; i < f16.length; i += 2)
            largest = Math.max(largest, Math.abs(float16BitsToNumber(f16.readUInt16LE(i))));
        expect(largest).toBeGreaterThan(0.02);
        expect(largest).toBeLessThanOrEqual(0.0351);
    });

    it("is deterministic per seed and refuses types it cannot make", () => {
        expect(makeWeightPattern(GGML_TYPE.Q4_0, 1000, createRandom(5)).equals(makeWeightPattern(GGML_TYPE.Q4_0, 1000, createRandom(5)))).toBe(true);
        expect(makeWeightPattern(GGML_TYPE.Q4_0, 1000, createRandom(5)).equals(makeWeightPattern(GGML_TYPE.Q4_0, 1000, createRandom(6)))).toBe(false);
        expect(canMakeWeightPattern(GGML_TYPE.IQ2_XXS)).toBe(false);
        expect(() => makeWeightPattern(GGML_TYPE.IQ2_XXS, 1000, createRandom(1))).toThrow(/Cannot write synthetic weights of type IQ2_XXS/);
    });
});
