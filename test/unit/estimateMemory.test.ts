import {describe, expect, it} from "vitest";
import {estimateMemory, isRepacked} from "../../src-main/engine/ceiling/estimateMemory.js";
import {judgeFit, maxGpuLayersWithin} from "../../src-main/engine/ceiling/judgeFit.js";
import {modelFromShape} from "../../src-main/engine/ceiling/modelFromShape.js";
import {resolveShape} from "../../src-main/engine/models/shapePresets.js";
import {GGML_TYPE} from "../../src-main/engine/models/ggmlTypes.js";

const MiB = 1024 ** 2;
// The 116 MB model of the memory measurements (n_embd 1024, 16 layers)
const shaped = modelFromShape({...resolveShape("1b"), nEmbd: 1024, nLayer: 16, nHead: 16, nHeadKv: 8, nFf: 1536}, "q4_0");
const avx2 = ["AVX", "AVX2", "FMA"];

describe("isRepacked", () => {
    it("follows llama.cpp's CPU repack rules: matrix weights of the types the CPU has kernels for", () => {
        expect(isRepacked("blk.0.attn_q.weight", GGML_TYPE.Q4_0, [1024, 1024], avx2)).toBe(true);
        expect(isRepacked("blk.0.attn_q.weight", GGML_TYPE.Q4_0, [1024, 1020], avx2)).toBe(false);
        expect(isRepacked("token_embd.weight", GGML_TYPE.Q4_0, [1024, 32000], avx2)).toBe(false);
        expect(isRepacked("blk.0.attn_norm.weight", GGML_TYPE.F32, [1024], avx2)).toBe(false);
        expect(isRepacked("output.weight", GGML_TYPE.Q6_K, [1024, 32000], avx2)).toBe(false);
        expect(isRepacked("output.weight", GGML_TYPE.Q6_K, [1024, 32000], [...avx2, "AMX_INT8"])).toBe(true);
        expect(isRepacked("blk.0.attn_q.weight", GGML_TYPE.Q4_0, [1024, 1024], [])).toBe(false);
    });
});

describe("estimateMemory", () => {
    const estimate = (options: Partial<Parameters<typeof estimateMemory>[0]> = {}) => estimateMemory({
        fileInfo: shaped.ggufFileInfo, gpuLayers: 0, contextSize: 21, flashAttention: false, cpuFeatures: avx2, ...options
    });

    it("counts a quantized KV cache at its size: q8_0 34/64 of f16, q4_0 18/64", async () => {
        // 16 layers x 4096 cells x n_embd_kv 512 x K and V
        const f16Kv = 16 * 4096 * 512 * 2 * 2;
        const f16 = await estimate({contextSize: 4096, flashAttention: true});
        const q8 = await estimate({contextSize: 4096, flashAttention: true, typeK: "q8_0", typeV: "q8_0"});
        const q4 = await estimate({contextSize: 4096, flashAttention: true, typeK: "q4_0", typeV: "q4_0"});
        expect(f16.ramBytes - q8.ramBytes).toBeCloseTo(f16Kv * (1 - 34 / 64), -4);
        expect(f16.ramBytes - q4.ramBytes).toBeCloseTo(f16Kv * (1 - 18 / 64), -4);
    });

    it("counts the tensors as anonymous memory when the file is not memory-mapped", async () => {
        const mapped = await estimate();
        const read = await estimate({useMmap: false});
        expect(read.ramFileBytes).toBe(0);
        // the tensors it does not repack are read into buffers instead of mapped
        expect(read.ramAnonBytes).toBeGreaterThan(mapped.ramAnonBytes);
        expect(read.ramBytes).toBeLessThan(mapped.ramBytes);
    });

    it("counts the repacked copy beside the mapped file on a CPU that repacks, and none without", async () => {
        const repacking = await estimate();
        const plain = await estimate({cpuFeatures: []});
        const layerMatrices = shaped.tensors.filter((t) => t.name.startsWith("blk.") && t.dims.length === 2).reduce((sum, t) => sum + t.bytes, 0);
        expect(repacking.repackedBytes).toBe(layerMatrices);
        expect(plain.repackedBytes).toBe(0);
        expect(repacking.ramBytes - plain.ramBytes).toBeGreaterThan(0.9 * layerMatrices);
        // the anonymous and file-backed parts are named apart and add up
        expect(repacking.ramAnonBytes + repacking.ramFileBytes).toBe(repacking.ramBytes);
        expect(repacking.vramBytes).toBe(0);
        expect(repacking.totalLayers).toBe(17);
    });

    it("counts the context asked for (padded to 256 cells, as node-llama-cpp does)", async () => {
        const small = await estimate({contextSize: 21, cpuFeatures: []});
        const large = await estimate({contextSize: 8192, cpuFeatures: []});
        expect(small.contextRamBytes).toBe((await estimate({contextSize: 256, cpuFeatures: []})).contextRamBytes);
        // 16 layers x 8192 cells x 512 (K) + 512 (V) x 2 bytes = 256 MiB of KV cache more than at 256 cells, at least
        expect(large.ramRequiredBytes - small.ramRequiredBytes).toBeGreaterThan(248 * MiB);
    });

    it("puts weights and context on the device as layers are offloaded, and no repack with a device in use", async () => {
        const vram = [];
        for (const gpuLayers of [0, 1, 8, "max"] as const)
            vram.push((await estimate({gpuLayers, deviceInUse: true})).vramBytes);
        // at 0 layers, the compute buffer: llama.cpp runs large batches on the device (61.23 MiB measured on lavapipe)
        expect(vram[0]! / MiB).toBeGreaterThan(55);
        expect(vram[0]! / MiB).toBeLessThan(68);
        for (let i = 2; i < vram.length; i++)
            expect(vram[i]).toBeGreaterThan(vram[i - 1]!);
        expect((await estimate({gpuLayers: "max", deviceInUse: true})).offloadedLayers).toBe(17);
        expect((await estimate({deviceInUse: true})).repackedBytes).toBe(0);
        // a software device's memory is this process's RAM
        const software = await estimate({gpuLayers: "max", deviceInUse: true, gpuKind: "software"});
        const discrete = await estimate({gpuLayers: "max", deviceInUse: true, gpuKind: "discrete"});
        expect(software.ramBytes - discrete.ramBytes).toBeGreaterThan(discrete.vramBytes * 0.9);
    });

    it("counts a software device's driver as idle until a kernel runs on it: layers offloaded, or a batch at the op-offload threshold", async () => {
        const at0 = (batchTokens: number, more: Partial<Parameters<typeof estimateMemory>[0]> = {}) =>
            estimate({gpuLayers: 0, deviceInUse: true, gpuKind: "software", batchTokens, ...more});
        const idle = await at0(31);
        const computing = await at0(32);
        // lavapipe, measured: anonymous +9-12 MiB idle, +43-51 computing; file-backed (library code) +15 / +20 MiB
        expect((computing.ramAnonBytes - idle.ramAnonBytes) / MiB).toBeGreaterThan(37);
        expect((computing.ramAnonBytes - idle.ramAnonBytes) / MiB).toBeLessThan(40);
        expect((computing.ramFileBytes - idle.ramFileBytes) / MiB).toBeCloseTo(5, 5);
        // the threshold is the environment's when set, and batches are capped at the micro-batch
        expect((await at0(32, {opOffloadMinBatch: 64})).ramFileBytes).toBe(idle.ramFileBytes);
        expect((await at0(128, {batchSize: 16})).ramFileBytes).toBe(idle.ramFileBytes);
        // any offloaded layer runs kernels; a discrete GPU's driver is not counted in RAM at all
        expect((await estimate({gpuLayers: 1, deviceInUse: true, gpuKind: "software", batchTokens: 1})).ramFileBytes)
            .toBeGreaterThan((await estimate({gpuLayers: 1, deviceInUse: true, gpuKind: "discrete", batchTokens: 1})).ramFileBytes);
        expect((await at0(32, {gpuKind: "discrete"})).ramFileBytes).toBe((await at0(31, {gpuKind: "discrete"})).ramFileBytes);
    });
});

describe("maxGpuLayersWithin", () => {
    it("finds the largest layer count whose VRAM fits", async () => {
        const vramFor = async (layers: number) => layers * 100;
        expect(await maxGpuLayersWithin(450, 17, vramFor)).toBe(4);
        expect(await maxGpuLayersWithin(50, 17, vramFor)).toBe(0);
        expect(await maxGpuLayersWithin(1e9, 17, vramFor)).toBe(17);
    });
});

describe("judgeFit (the one rule of the fit advisor and the worker's check)", () => {
    const needs = async (layers: number) => ({ram: 1000 - layers * 10, vram: layers * 100});
    it("judges the requested layers against both budgets and names the largest count that fits", async () => {
        const judged = await judgeFit({needs, totalLayers: 17, budget: {ramBytes: 950, vramBytes: 450}, requested: "max"});
        expect(judged).toMatchObject({layers: 17, maxGpuLayers: 4, vramFits: false, ramFits: true, needs: {ram: 830, vram: 1700}});
        expect(await judgeFit({needs, totalLayers: 17, budget: {ramBytes: 950, vramBytes: 450}})).toMatchObject({layers: 4, vramFits: true, ramFits: false, needs: {ram: 960}});
        expect(await judgeFit({needs, totalLayers: 17, budget: {ramBytes: 900, vramBytes: 0}, requested: 0})).toMatchObject({layers: 0, vramFits: true, ramFits: false});
        expect(await judgeFit({needs, totalLayers: 17, budget: {ramBytes: null, vramBytes: 0}, requested: 0})).toMatchObject({ramFits: true});
    });
});
