import {describe, expect, it} from "vitest";
import {defaultPlan} from "../../src-main/engine/bench/defaultPlan.js";

describe("defaultPlan", () => {
    it("sweeps 0, a quarter, a half, three quarters and all of the layers with a GPU when the count is known", () => {
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 23}, ["m.gguf"]).gpuLayers).toEqual([0, 6, 12, 17, "max"]);
        expect(defaultPlan({physicalCores: 8, hasGpu: true, gpuLayerCount: 3}, ["m.gguf"]).gpuLayers).toEqual([0, "max"]);
        expect(defaultPlan({physicalCores: 8, hasGpu: true}, ["m.gguf"]).gpuLayers).toEqual([0, "max"]);
        expect(defaultPlan({physicalCores: 8, hasGpu: false, gpuLayerCount: 23}, ["m.gguf"]).gpuLayers).toEqual([0]);
    });
});
