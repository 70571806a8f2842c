import {describe, expect, it} from "vitest";
import {GgufInsights, readGgufFileInfo} from "node-llama-cpp";
import {fitModel, memoryBudget} from "../../src-main/engine/ceiling/fit.js";
import {modelFromShape} from "../../src-main/engine/ceiling/modelFromShape.js";
import {inspectModel} from "../../src-main/engine/models/inspectModel.js";
import {resolveShape} from "../../src-main/engine/models/shapePresets.js";
import type {HardwareProfile} from "../../src-main/engine/types.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const GiB = 1024 ** 3;

function machine(ramBytes: number | null, vramBytes: number, backend = "cuda"): HardwareProfile {
    const none = {value: null, source: "none" as const};
    return {
        detectedAt: "", os: {platform: "linux", distro: none, release: none, arch: "x64", virtualised: none},
        cpu: {brand: none, physicalCores: none, logicalCores: none, simd: none, speedGHz: none},
        memory: {totalBytes: {value: ramBytes, source: "user"}, freeBytes: none, modules: none, theoreticalGBs: none},
        bandwidth: none,
        gpus: vramBytes > 0 ? [{
            name: {value: "Test GPU", source: "user"}, vendor: none, vramTotalBytes: {value: vramBytes, source: "table"},
            vramFreeBytes: none, bandwidthGBs: {value: 1000, source: "table"}
        }] : [],
        backends: {cuda: vramBytes > 0, vulkan: false, metal: false, cpu: true, used: vramBytes > 0 ? backend : "cpu"},
        disk: {path: "", device: none, kind: none, freeBytes: none}, nodeLlamaCppVersion: "", llamaCppRelease: ""
    };
}

describe("memoryBudget", () => {
    it("gives no VRAM when llama.cpp runs on the CPU backend, even with a GPU present", () => {
        expect(memoryBudget(machine(64 * GiB, 24 * GiB, "cpu")).vramBytes).toBe(0);
        expect(memoryBudget(machine(64 * GiB, 24 * GiB)).vramBytes).toBe(24 * GiB);
        expect(memoryBudget(machine(null, 0)).ramBytes).toBeNull();
    });
});

describe("fitModel on a what-if 13B q4_0 (node-llama-cpp's estimator)", () => {
    const shaped = modelFromShape(resolveShape("13b"), "q4_0");
    const fit = (hardware: HardwareProfile, gpuLayers?: number | "max") => fitModel({
        model: shaped.info, contextSize: 2048, hardware, ggufFileInfo: shaped.ggufFileInfo, ...(gpuLayers != null ? {gpuLayers} : {})
    });

    it("CPU only when there is no GPU, does not fit when RAM is short", async () => {
        const cpu = await fit(machine(64 * GiB, 0));
        expect(cpu.verdict).toBe("CPU only");
        expect(cpu.maxGpuLayers).toBe(0);
        expect(cpu.vramBytes).toBe(0);
        expect(cpu.ramBytes).toBeGreaterThan(shaped.info.tensorBytes);
        expect((await fit(machine(4 * GiB, 0))).verdict).toBe("does not fit");
    });

    it("fits on a 24 GB GPU, offloads part of it on an 6 GB one", async () => {
        const big = await fit(machine(64 * GiB, 24 * GiB));
        expect(big.verdict).toBe("fits on GPU");
        expect(big.maxGpuLayers).toBe(41);
        expect(big.ramBytes).toBeLessThan(1 * GiB);
        const small = await fit(machine(64 * GiB, 6 * GiB));
        expect(small.verdict).toBe("partial offload");
        expect(small.maxGpuLayers).toBeGreaterThan(10);
        expect(small.maxGpuLayers).toBeLessThan(41);
        expect(small.vramBytes).toBeLessThanOrEqual(6 * GiB);
        // one more layer would not fit
        const over = await fit(machine(64 * GiB, 6 * GiB), small.maxGpuLayers + 1);
        expect(over.verdict).toBe("does not fit");
        expect(over.maxGpuLayers).toBe(small.maxGpuLayers);
    });
});

describe("syntheticGgufFileInfo matches a real file's estimate", () => {
    const tiny = useTinyModel("llamameter-fit-");

    it("gives the same RAM / VRAM estimates as GgufInsights reading the file", async () => {
        const shaped = modelFromShape(resolveShape("tiny"), "q4_0");
        const fromFile = await GgufInsights.from(await readGgufFileInfo(tiny.model));
        const fromShape = await GgufInsights.from(shaped.ggufFileInfo);
        expect(fromShape.totalLayers).toBe(fromFile.totalLayers);
        for (const gpuLayers of [0, 1, 3]) {
            expect(fromShape.estimateModelResourceRequirements({gpuLayers, useMmap: false}))
                .toEqual(fromFile.estimateModelResourceRequirements({gpuLayers, useMmap: false}));
            expect(fromShape.estimateContextResourceRequirements({contextSize: 256, modelGpuLayers: gpuLayers}))
                .toEqual(fromFile.estimateContextResourceRequirements({contextSize: 256, modelGpuLayers: gpuLayers}));
        }
    });

    it("describes the shape as inspectModel describes the file", async () => {
        const shaped = modelFromShape(resolveShape("tiny"), "q4_0");
        const inspected = await inspectModel(tiny.model);
        for (const key of ["nLayer", "nEmbd", "nHead", "nHeadKv", "nFf", "vocabSize", "bytesPerLayer", "tokenEmbdBytes", "outputBytes", "tensorBytes", "parameters", "weightType", "tensorTypes"] as const)
            expect(shaped.info[key], key).toEqual(inspected[key]);
    });

    it("fits a real file from its path", async () => {
        const info = await inspectModel(tiny.model);
        const verdict = await fitModel({model: info, contextSize: 256, hardware: machine(8 * GiB, 0)});
        expect(verdict.verdict).toBe("CPU only");
        expect(verdict.ramBytes).toBeGreaterThan(info.tensorBytes);
    });
});
