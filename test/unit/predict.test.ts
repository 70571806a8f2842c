import {describe, expect, it} from "vitest";
import {describedRamBandwidth, predict} from "../../src-main/engine/ceiling/predict.js";

const GB = 1e9;

describe("describedRamBandwidth", () => {
    it("reads a DIMM description or a stated bandwidth", () => {
        expect(describedRamBandwidth("DDR4-3600 x2")?.bandwidthGBs).toBe(57.6);
        expect(describedRamBandwidth("115 GB/s")?.bandwidthGBs).toBe(115);
        expect(describedRamBandwidth("lots")).toBeNull();
    });
});

describe("predict on a described machine (the guide's figures)", () => {
    it("a stated 115 GB/s gives bandwidth / bytes read per token", async () => {
        const result = await predict({shape: "13b", type: "q4_0", ram: "115 GB/s", contextSize: 2048}, null);
        expect(result.gpuLayers).toBe(0);
        expect(result.bandwidthGBs).toBeCloseTo(115, 3);
        // 13B q4_0 reads ~7.3 GB per token: 115 / 7.3 ~ 15.8 t/s (the guide's 8.8 t/s is for a 13 GB model)
        expect(result.ceilingTps!).toBeGreaterThan(115 / 7.5);
        expect(result.ceilingTps!).toBeLessThan(115 / 7.0);
        expect(result.lines.join("\n")).toMatch(/prompt processing is compute-bound/);
    });

    it("DDR4-3600 x 2: 57.6 GB/s", async () => {
        const result = await predict({shape: "7b", type: "q4_0", ram: "DDR4-3600, 2 channels"}, null);
        expect(result.bandwidthGBs).toBeCloseTo(57.6, 3);
        expect(result.lines.join("\n")).toMatch(/57\.6 GB\/s/);
    });

    // Section 4: system RAM needed on CPU for 4-bit models (at LLaMA's 2048-token context).
    it.each([
        ["7b", 3.9, 7.5],
        ["13b", 7.8, 11],
        ["30b", 19.5, 23],
        ["65b", 38.5, 47]
    ])("%s 4-bit on the CPU needs RAM within the guide's %s-%s GB", async (shape, low, high) => {
        const result = await predict({shape, type: "q4_0", ram: "DDR4-3200x2", contextSize: 2048}, null);
        expect(result.vramBytes).toBe(0);
        expect(result.ramBytes / GB).toBeGreaterThanOrEqual(low);
        expect(result.ramBytes / GB).toBeLessThanOrEqual(high);
    });

    // Section 3: minimum VRAM for 4-bit models, and the guide's example GPUs.
    it.each([
        ["7b", "RTX 3060", 6, 0, 33],
        ["7b", "GTX 1660", 6, 0, 33],
        ["13b", "RTX 3080", 10, 6, 41],
        ["13b", "RTX 3060", 10, 6, 41],
        ["30b", "RTX 3090", 20, 10, 61],
        ["30b", "RTX 4090", 20, 10, 61],
        ["65b", "A100 40GB", 40, 20, 81],
        ["65b", "RTX A6000", 40, 20, 81]
    ])("%s 4-bit fits entirely on an %s, within the guide's %s GB minimum", async (shape, gpu, minimumGB, previousGB, layers) => {
        const result = await predict({shape, type: "q4_0", gpu, contextSize: 512}, null);
        expect(result.gpuLayers).toBe(layers);
        expect(result.vramBytes / GB).toBeLessThanOrEqual(minimumGB);
        expect(result.vramBytes / GB).toBeGreaterThan(previousGB);
    });

    it("65B 4-bit does not fit one 24 GB GPU: a partial offload", async () => {
        const result = await predict({shape: "65b", type: "q4_0", gpu: "RTX 3090", ram: "DDR4-3200x2", contextSize: 2048}, null);
        expect(result.gpuLayers).toBeGreaterThan(0);
        expect(result.gpuLayers).toBeLessThan(81);
        // the split ceiling lies between the all-CPU and all-GPU ceilings
        const bytes = result.modelBytes;
        expect(result.ceilingTps!).toBeGreaterThan(51.2e9 / bytes);
        expect(result.ceilingTps!).toBeLessThan(936e9 / bytes);
        expect(result.lines.join("\n")).toMatch(/partial offload/);
    });

    it("rejects unknown types, GPUs and RAM descriptions", async () => {
        await expect(predict({shape: "7b", type: "q3_z"}, null)).rejects.toThrow(/Unknown weight type/);
        await expect(predict({shape: "7b", gpu: "RTX 9999"}, null)).rejects.toThrow(/Unknown GPU/);
        await expect(predict({shape: "7b", ram: "plenty"}, null)).rejects.toThrow(/Cannot read the RAM/);
        await expect(predict({}, null)).rejects.toThrow(/shape and type/);
    });

    it("has no ceiling without any bandwidth", async () => {
        const result = await predict({shape: "7b", type: "q4_0"}, null);
        expect(result.ceilingTps).toBeNull();
        expect(result.lines.join("\n")).toMatch(/RAM bandwidth unknown/);
    });
});
