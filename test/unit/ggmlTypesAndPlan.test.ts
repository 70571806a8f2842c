import {describe, expect, it} from "vitest";
import {GGML_TYPE, ggmlTypeName, ggmlTypeTraits, tensorBytes} from "../../src-main/engine/models/ggmlTypes.js";
import {SHAPE_PRESETS, resolveShape} from "../../src-main/engine/models/shapePresets.js";
import {checkShape, planSyntheticTensors, type PlannedTensor} from "../../src-main/engine/models/planSyntheticTensors.js";
import type {ModelShape} from "../../src-main/engine/types.js";

const total = (plan: PlannedTensor[]) => plan.reduce((sum, tensor) => sum + tensor.bytes, 0);
const typesOf = (plan: PlannedTensor[], kind: string) =>
    [...new Set(plan.filter((t) => t.name.replace(/^blk\.\d+\./, "").replace(/\.weight$/, "") === kind).map((t) => ggmlTypeName(t.ggmlType)))].sort();

describe("ggmlTypes", () => {
    it("has the GGUF ids and block sizes of the common types", () => {
        expect(GGML_TYPE).toMatchObject({F32: 0, F16: 1, Q4_0: 2, Q8_0: 8, Q4_K: 12, Q6_K: 14});
        expect(ggmlTypeTraits(GGML_TYPE.Q4_0)).toMatchObject({blockSize: 32, bytesPerBlock: 18});
        expect(ggmlTypeTraits(GGML_TYPE.Q8_0)).toMatchObject({blockSize: 32, bytesPerBlock: 34});
        expect(ggmlTypeTraits(GGML_TYPE.Q4_K)).toMatchObject({blockSize: 256, bytesPerBlock: 144});
        expect(ggmlTypeTraits(GGML_TYPE.Q6_K)).toMatchObject({blockSize: 256, bytesPerBlock: 210});
        expect(ggmlTypeTraits(4)).toBeUndefined(); // Q4_2, removed
        expect(ggmlTypeName(4)).toBe("removed Q4_2");
        expect(ggmlTypeName(99)).toBe("unknown 99");
    });

    it("computes tensor bytes from type and dims", () => {
        expect(tensorBytes(GGML_TYPE.F32, [4096])).toBe(16384);
        expect(tensorBytes(GGML_TYPE.F16, [4096, 4096])).toBe(4096 * 4096 * 2);
        expect(tensorBytes(GGML_TYPE.Q4_0, [4096, 4096])).toBe(4096 * 4096 / 32 * 18);
        expect(tensorBytes(GGML_TYPE.Q6_K, [4096, 32000])).toBe(4096 * 32000 / 256 * 210);
        expect(tensorBytes(GGML_TYPE.Q8_0, [64n, 2n, 3n])).toBe(2 * 34 * 6);
        expect(() => tensorBytes(GGML_TYPE.Q4_K, [64, 64])).toThrow(/not a whole number of Q4_K blocks/);
        expect(() => tensorBytes(99, [32])).toThrow(/Unknown ggml type/);
    });
});

describe("shape presets", () => {
    it("has the named shapes, all valid", () => {
        expect(Object.keys(SHAPE_PRESETS)).toEqual(["tiny", "30m", "220m", "1b", "7b", "13b", "30b", "65b", "70b"]);
        for (const shape of Object.values(SHAPE_PRESETS))
            expect(() => checkShape(shape)).not.toThrow();
        expect(resolveShape("7B")).toEqual({vocabSize: 32000, nEmbd: 4096, nLayer: 32, nHead: 32, nHeadKv: 32, nFf: 11008, contextLength: 2048});
        expect(resolveShape("70b")).toMatchObject({nHeadKv: 8, nFf: 28672});
    });

    it("names the valid shapes when the name is unknown", () => {
        expect(() => resolveShape("8b")).toThrow('Unknown model shape "8b"; valid shapes: tiny, 30m, 220m, 1b, 7b, 13b, 30b, 65b, 70b');
        expect(() => resolveShape("constructor")).toThrow(/valid shapes/);
    });

    it("rejects shapes llama.cpp cannot run", () => {
        const tiny = SHAPE_PRESETS.tiny!;
        expect(() => checkShape({...tiny, nHead: 3})).toThrow(/not divisible by nHead/);
        expect(() => checkShape({...tiny, nHeadKv: 3})).toThrow(/not divisible by nHeadKv/);
        expect(() => checkShape({...tiny, nLayer: 0})).toThrow(/positive integer/);
        expect(() => checkShape({...tiny, vocabSize: 100})).toThrow(/too small/);
    });
});

describe("planSyntheticTensors", () => {
    it("lists the LLaMA tensors in order with GGUF dims", () => {
        const shape = SHAPE_PRESETS.tiny!;
        const plan = planSyntheticTensors(shape, "q4_0");
        expect(plan.length).toBe(1 + 9 * shape.nLayer + 2);
        expect(plan.slice(0, 10).map((t) => t.name)).toEqual([
            "token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.attn_v.weight",
            "blk.0.attn_output.weight", "blk.0.ffn_norm.weight", "blk.0.ffn_gate.weight", "blk.0.ffn_up.weight", "blk.0.ffn_down.weight"
        ]);
        expect(plan.at(-2)!.name).toBe("output_norm.weight");
        expect(plan.at(-1)!.name).toBe("output.weight");
        const kvRows = shape.nEmbd / shape.nHead * shape.nHeadKv;
        expect(plan.find((t) => t.name === "blk.0.attn_k.weight")!.dims).toEqual([shape.nEmbd, kvRows]);
        expect(plan.find((t) => t.name === "blk.0.ffn_down.weight")!.dims).toEqual([shape.nFf, shape.nEmbd]);
        expect(plan[0]!.dims).toEqual([shape.nEmbd, shape.vocabSize]);
        for (const tensor of plan)
            expect(tensor.bytes).toBe(tensorBytes(tensor.ggmlType, tensor.dims));
    });

    it("uses the types llama.cpp's quantizer gives Q4_0 files", () => {
        const plan = planSyntheticTensors(SHAPE_PRESETS["7b"]!, "q4_0");
        expect(typesOf(plan, "attn_norm")).toEqual(["F32"]);
        expect(typesOf(plan, "output_norm")).toEqual(["F32"]);
        expect(typesOf(plan, "token_embd")).toEqual(["Q4_0"]);
        expect(typesOf(plan, "attn_q")).toEqual(["Q4_0"]);
        expect(typesOf(plan, "ffn_down")).toEqual(["Q4_0"]);
        expect(typesOf(plan, "output")).toEqual(["Q6_K"]);
    });

    it("makes files the size of real GGUF files of that shape and type", () => {
        // published sizes of llama-2-*.gguf / tinyllama-1.1b *.gguf files (bytes, 3 significant figures)
        const real: Array<[string, "q4_0" | "q4_k" | "q8_0" | "q6_k", number]> = [
            ["1b", "q4_0", 0.638e9],
            ["7b", "q4_0", 3.83e9],
            ["7b", "q4_k", 4.08e9],
            ["7b", "q8_0", 7.16e9],
            ["7b", "q6_k", 5.53e9],
            ["13b", "q4_0", 7.37e9],
            ["70b", "q4_k", 41.42e9]
        ];
        for (const [shape, type, bytes] of real)
            expect(Math.abs(total(planSyntheticTensors(resolveShape(shape), type)) - bytes) / bytes, `${shape} ${type}`).toBeLessThan(0.005);

        const oneB = total(planSyntheticTensors(SHAPE_PRESETS["1b"]!, "q4_0"));
        expect(oneB).toBeGreaterThan(0.6e9);
        expect(oneB).toBeLessThan(0.64e9);
    });

    it("fits 4-bit files under the RAM the reference guide gives for 4-bit LLaMA (file < RAM needed)", () => {
        // hardware-figures.md section 4, lower bound of the 4-bit column
        const ramLow: Record<string, number> = {"7b": 3.9e9, "13b": 7.8e9, "30b": 19.5e9, "65b": 38.5e9};
        for (const [shape, ram] of Object.entries(ramLow)) {
            const bytes = total(planSyntheticTensors(resolveShape(shape), "q4_0"));
            expect(bytes, shape).toBeLessThan(ram);
            expect(bytes, shape).toBeGreaterThan(ram * 0.9);
        }
    });

    it("gives Q4_K files the Q4_K_M mix: Q6_K for half the attn_v and ffn_down layers, Q6_K output", () => {
        const plan = planSyntheticTensors(SHAPE_PRESETS["7b"]!, "q4_k");
        const q6Layers = (kind: string) => plan.filter((t) => t.name.endsWith(`.${kind}.weight`) && t.ggmlType === GGML_TYPE.Q6_K)
            .map((t) => Number(t.name.split(".")[1]));
        // use_more_bits for 32 layers: first and last 4, and every third from 6
        const expected = [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31];
        expect(q6Layers("attn_v")).toEqual(expected);
        expect(q6Layers("ffn_down")).toEqual(expected);
        expect(typesOf(plan, "attn_q")).toEqual(["Q4_K"]);
        expect(typesOf(plan, "token_embd")).toEqual(["Q4_K"]);
        expect(typesOf(plan, "output")).toEqual(["Q6_K"]);

        // LLaMA-2-70B: the other attn_v layers get Q5_K
        expect(typesOf(planSyntheticTensors(SHAPE_PRESETS["70b"]!, "q4_k"), "attn_v")).toEqual(["Q5_K", "Q6_K"]);
        expect(typesOf(planSyntheticTensors(SHAPE_PRESETS["65b"]!, "q4_k"), "attn_v")).toEqual(["Q4_K", "Q6_K"]);
    });

    it("keeps output Q8_0 in Q8_0 files and everything F16/F32 in float files", () => {
        const q8 = planSyntheticTensors(SHAPE_PRESETS["7b"]!, "q8_0");
        expect(typesOf(q8, "output")).toEqual(["Q8_0"]);
        const f16 = planSyntheticTensors(SHAPE_PRESETS.tiny!, "f16");
        expect(typesOf(f16, "output")).toEqual(["F16"]);
        expect(typesOf(f16, "attn_norm")).toEqual(["F32"]);
        expect(new Set(planSyntheticTensors(SHAPE_PRESETS.tiny!, "f32").map((t) => t.ggmlType))).toEqual(new Set([GGML_TYPE.F32]));
    });

    it("falls back as llama.cpp does when rows are not whole K-quant blocks", () => {
        const narrow: ModelShape = {vocabSize: 512, nEmbd: 64, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 96, contextLength: 128};
        const q4k = planSyntheticTensors(narrow, "q4_k");
        expect(typesOf(q4k, "attn_q")).toEqual(["Q5_0"]); // Q4_K -> Q5_0
        expect(typesOf(q4k, "attn_v")).toEqual(["Q5_0", "Q8_0"]); // Q6_K -> Q8_0 on the more-bits layer
        expect(typesOf(q4k, "output")).toEqual(["Q8_0"]); // rows not whole Q4_K blocks
        const q6k = planSyntheticTensors(narrow, "q6_k");
        expect(typesOf(q6k, "ffn_gate")).toEqual(["Q8_0"]);

        const odd: ModelShape = {...narrow, nEmbd: 40, nHead: 2, nHeadKv: 2};
        expect(typesOf(planSyntheticTensors(odd, "q4_0"), "attn_q")).toEqual(["F16"]); // not even whole 32-blocks
    });

    it("rejects unknown weight types", () => {
        expect(() => planSyntheticTensors(SHAPE_PRESETS.tiny!, "q3_k" as never)).toThrow(/valid types/);
    });
});
