import {describe, expect, it} from "vitest";
import {defaultPlan} from "../../src-main/engine/bench/defaultPlan.js";
import {planMachine} from "../../src-main/engine/bench/planMachine.js";
import {resolveGpuChoice, type GpuChoice} from "../../src-main/engine/bench/resolveGpuChoice.js";
import {fitModel} from "../../src-main/engine/ceiling/fit.js";
import {modelFromShape} from "../../src-main/engine/ceiling/modelFromShape.js";
import {resolveShape} from "../../src-main/engine/models/shapePresets.js";
import type {DeviceKind, HardwareProfile, LlamaDevice} from "../../src-main/engine/types.js";

const GiB = 1024 ** 3;

describe("defaultPlan", () => {
    it("sweeps 0, a quarter, a half, three quarters and all of the layers with a GPU when the count is known", () => {
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 23}, ["m.gguf"]).gpuLayers).toEqual([0, 6, 12, 17, "max"]);
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 3}, ["m.gguf"]).gpuLayers).toEqual([0, "max"]);
        expect(defaultPlan({physicalCores: 8, hasGpu: true}, ["m.gguf"]).gpuLayers).toEqual([0, "max"]);
        expect(defaultPlan({physicalCores: 8, hasGpu: false, gpuLayerCount: 23}, ["m.gguf"]).gpuLayers).toEqual([0]);
    });

    it("adds the largest count that fits, in place of the counts above it (the fit check would refuse those)", () => {
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 23, maxFittingGpuLayers: 23}, ["m.gguf"]).gpuLayers).toEqual([0, 6, 12, 17, "max"]);
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 23, maxFittingGpuLayers: 14}, ["m.gguf"]).gpuLayers).toEqual([0, 6, 12, 14]);
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 23, maxFittingGpuLayers: 12}, ["m.gguf"]).gpuLayers).toEqual([0, 6, 12]);
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 23, maxFittingGpuLayers: 0}, ["m.gguf"]).gpuLayers).toEqual([0]);
        // A model of fewer than 4 layers is swept all-or-nothing, and "nothing" alone when all do not fit.
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 3, maxFittingGpuLayers: 3}, ["m.gguf"]).gpuLayers).toEqual([0, "max"]);
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 3, maxFittingGpuLayers: 2}, ["m.gguf"]).gpuLayers).toEqual([0, 2]);
    });
});

/** A machine of 64 GiB RAM and 4 cores with these llama.cpp devices. */
function machine(devices: LlamaDevice[]): HardwareProfile {
    const none = {value: null, source: "none" as const};
    return {
        detectedAt: "", os: {platform: "linux", distro: none, release: none, arch: "x64", virtualised: none},
        cpu: {brand: none, physicalCores: {value: 4, source: "user"}, logicalCores: none, simd: none, speedGHz: none},
        memory: {totalBytes: {value: 64 * GiB, source: "user"}, freeBytes: none, modules: none, theoreticalGBs: none},
        bandwidth: none,
        gpus: [],
        devices,
        backends: {cuda: false, vulkan: true, metal: false, cpu: true, used: devices.some((device) => device.usedByDefault) ? "vulkan" : "cpu"},
        disk: {path: "", device: none, kind: none, freeBytes: none}, nodeLlamaCppVersion: "", llamaCppRelease: ""
    };
}

function device(index: number, name: string, kind: DeviceKind, vramBytes: number): LlamaDevice {
    return {
        index, backend: "vulkan", name: {value: name, source: "node-llama-cpp"}, kind: {value: kind, source: "node-llama-cpp"},
        vramTotalBytes: {value: vramBytes, source: "node-llama-cpp"}, vramFreeBytes: {value: vramBytes, source: "node-llama-cpp"},
        usedByDefault: kind !== "software"
    };
}

describe("the default plan on a machine, from its device list (planMachine + defaultPlan)", () => {
    // A what-if 13B Q4_0: 40 repeating layers + the output layer = 41 as llama.cpp counts them; ~7 GB of weights.
    const shaped = modelFromShape(resolveShape("13b"), "q4_0");
    const plan = async (devices: LlamaDevice[], choice: GpuChoice = {}) => {
        const hardware = machine(devices);
        const gpu = resolveGpuChoice(hardware, choice);
        return defaultPlan(await planMachine({hardware, models: ["13b.gguf"], gpu, ggufFileInfo: shaped.ggufFileInfo}), ["13b.gguf"]);
    };
    const cpuOnly = defaultPlan({physicalCores: 4, hasGpu: false}, ["13b.gguf"]);
    const lavapipe = device(0, "llvmpipe (LLVM 15.0.6, 256 bits)", "software", 2 * GiB);

    it("all of the layers fit on a 24 GiB GPU: 0, 10, 21, 31 and max", async () => {
        const spec = await plan([device(0, "NVIDIA GeForce RTX 3090", "discrete", 24 * GiB)]);
        expect(spec.gpuLayers).toEqual([0, 10, 21, 31, "max"]);
        expect(spec.nPrompt).toEqual([512]);
    });

    it("on a 6 GiB GPU the sweep ends at the largest count the fit advisor allows", async () => {
        const devices = [device(0, "NVIDIA GeForce GTX 1660", "discrete", 6 * GiB)];
        const fit = await fitModel({model: shaped.info, contextSize: 512 + 128 + 1, hardware: machine(devices), ggufFileInfo: shaped.ggufFileInfo});
        expect(fit.maxGpuLayers).toBeGreaterThan(21);
        expect(fit.maxGpuLayers).toBeLessThan(41);
        const spec = await plan(devices);
        expect(spec.gpuLayers).toEqual([0, 10, 21, ...(fit.maxGpuLayers > 31 ? [31] : []), fit.maxGpuLayers]);
        // A VRAM budget is judged instead of the device's memory.
        expect((await plan(devices, {vramBudgetBytes: 1024 ** 2})).gpuLayers).toEqual([0]);
    });

    it("a software device alone leaves the CPU-only plan unchanged; asked for, it is swept within its 2 GiB", async () => {
        expect(await plan([lavapipe])).toEqual(cpuOnly);
        expect(await plan([])).toEqual(cpuOnly);
        expect(await plan([lavapipe], {cpu: true})).toEqual(cpuOnly);
        // 7 GB of weights do not fit in 2 GiB: the sweep is 0 and the largest count that fits, at most a quarter.
        const fit = await fitModel({model: shaped.info, contextSize: 512 + 128 + 1, hardware: machine([lavapipe]), ggufFileInfo: shaped.ggufFileInfo,
            vramBudgetBytes: 2 * GiB});
        expect(fit.maxGpuLayers).toBeGreaterThan(0);
        expect(fit.maxGpuLayers).toBeLessThanOrEqual(10);
        expect((await plan([lavapipe], {gpuDevice: "llvmpipe"})).gpuLayers).toEqual([0, fit.maxGpuLayers]);
    });
});
