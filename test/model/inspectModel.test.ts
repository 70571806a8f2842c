// inspectModel on synthetic files (it loads node-llama-cpp's addon for GgufInsights, hence a model test).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {inspectModel, tensorKind} from "../../src-main/engine/models/inspectModel.js";
import {ModelFileError} from "../../src-main/engine/models/ModelFileError.js";
import {writeSyntheticGguf} from "../../src-main/engine/models/writeSyntheticGguf.js";
import {SHAPE_PRESETS} from "../../src-main/engine/models/shapePresets.js";
import {modelFromShape} from "../../src-main/engine/ceiling/modelFromShape.js";
import {planSyntheticTensors} from "../../src-main/engine/models/planSyntheticTensors.js";
import {BAD_GGUF_REASONS, writeBadGgufFixtures, type BadGgufFixture} from "../fixtures/writeBadGgufFixtures.js";

let dir: string;
let q4k: string;
let fixtures: Record<BadGgufFixture | "good", string>;
const shape = SHAPE_PRESETS.tiny!;

beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-inspect-"));
    q4k = (await writeSyntheticGguf({shape, type: "q4_k", outPath: path.join(dir, "tiny-q4_k.gguf"), name: "Tiny test model"})).path;
    fixtures = await writeBadGgufFixtures(path.join(dir, "bad"));
});

afterAll(async () => {
    await fs.rm(dir, {recursive: true, force: true});
});

describe("inspectModel", () => {
    it("reports shape, types and where the bytes are", async () => {
        const info = await inspectModel(q4k);
        const plan = planSyntheticTensors(shape, "q4_k");
        const bytesOf = (predicate: (name: string) => boolean) => plan.filter((t) => predicate(t.name)).reduce((a, t) => a + t.bytes, 0);
        const params = plan.reduce((a, t) => a + t.dims.reduce((x, y) => x * y, 1), 0);

        expect(info).toMatchObject({
            file: q4k,
            fileName: "tiny-q4_k.gguf",
            fileBytes: (await fs.stat(q4k)).size,
            architecture: "llama",
            name: "Tiny test model",
            parameters: params,
            weightType: "Q4_K",
            fileType: "MOSTLY_Q4_K_M",
            nLayer: shape.nLayer,
            nEmbd: shape.nEmbd,
            nHead: shape.nHead,
            nHeadKv: shape.nHeadKv,
            nFf: shape.nFf,
            vocabSize: shape.vocabSize,
            contextLength: shape.contextLength,
            synthetic: true
        });
        expect(info.tensorTypes).toMatchObject({
            token_embd: ["Q4_K"], attn_norm: ["F32"], attn_q: ["Q4_K"], output: ["Q6_K"], output_norm: ["F32"]
        });
        expect([...info.tensorTypes.attn_v!].sort()).toEqual(["Q4_K", "Q6_K"]);
        expect(info.tensorBytes).toBe(bytesOf(() => true));
        expect(info.bytesPerLayer).toBe(bytesOf((name) => name.startsWith("blk.")) / shape.nLayer);
        expect(info.tokenEmbdBytes).toBe(bytesOf((name) => name === "token_embd.weight"));
        expect(info.outputBytes).toBe(bytesOf((name) => name === "output.weight" || name === "output_norm.weight"));
        expect(info.tokenEmbdBytes + info.outputBytes + info.bytesPerLayer * info.nLayer).toBe(info.tensorBytes);
    });

    it("validates first: bad files give ModelFileError with the validator's reason", async () => {
        for (const name of ["tooManyDims", "dataCutShort", "text", "missing"] as const) {
            const error = await inspectModel(fixtures[name]).then(() => null, (err: unknown) => err);
            expect(error, name).toBeInstanceOf(ModelFileError);
            expect((error as ModelFileError).reason, name).toContain(BAD_GGUF_REASONS[name]);
        }
    });

    it("gives a what-if model of a shape (modelFromShape) the figures of the file of that shape, dominant type included", async () => {
        const inspected = await inspectModel(q4k);
        const {info} = modelFromShape(shape, "q4_k");
        for (const field of ["weightType", "parameters", "bytesPerLayer", "tokenEmbdBytes", "outputBytes", "tensorBytes", "tensorTypes", "nLayer"] as const)
            expect(info[field], field).toEqual(inspected[field]);
    });

    it("names tensor kinds", () => {
        expect(tensorKind("blk.12.attn_q.weight")).toBe("attn_q");
        expect(tensorKind("blk.0.attn_q.bias")).toBe("attn_q.bias");
        expect(tensorKind("output.weight")).toBe("output");
        expect(tensorKind("token_embd.weight")).toBe("token_embd");
    });
});
