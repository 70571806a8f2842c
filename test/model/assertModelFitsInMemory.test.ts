import path from "node:path";
import {describe, expect, it} from "vitest";
import {assertModelFitsInMemory, checkModelFits} from "../../src-main/engine/bench/assertModelFitsInMemory.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-fit-");

describe("assertModelFitsInMemory", () => {
    it("passes a model that fits and returns its size", async () => {
        const bytes = await assertModelFitsInMemory(tiny.model, 0, 512, {ramAvailableBytes: 8 * 1024 ** 3});
        expect(bytes).toBeGreaterThan(100_000);
    });

    it("refuses a load larger than the RAM budget with a one-line reason, before loading", async () => {
        await expect(assertModelFitsInMemory(tiny.model, 0, 512, {ramAvailableBytes: 64 * 1024}))
            .rejects.toThrow(/^does not fit in memory: needs \d+(\.\d+)? [MG]iB of RAM, 64.0 KiB available$/);
    });

    it("refuses layers that do not fit a VRAM budget with one line naming the largest count that fits", async () => {
        const roomy = {ramAvailableBytes: 8 * 1024 ** 3, vramAvailableBytes: 1024 ** 3, deviceName: "Test GPU"};
        const one = (await checkModelFits(tiny.model, 1, 512, roomy)).estimate;
        const all = (await checkModelFits(tiny.model, "max", 512, roomy)).estimate;
        expect(all.vramBytes).toBeGreaterThan(one.vramBytes);
        // a budget of exactly what one layer needs: the whole model is refused, one layer is the advice
        const tight = {...roomy, vramAvailableBytes: one.vramBytes};
        await expect(assertModelFitsInMemory(tiny.model, "max", 512, tight))
            .rejects.toThrow(/^does not fit in VRAM: 3\/3 layers need [\d.]+ MiB of VRAM, [\d.]+ MiB free on Test GPU; at most 1 layers fit \(--gpu-layers 1\)$/);
        expect((await checkModelFits(tiny.model, 1, 512, tight)).estimate.offloadedLayers).toBe(1);
    });

    it("counts the context asked for", async () => {
        const small = await checkModelFits(tiny.model, 0, 512, {ramAvailableBytes: 8 * 1024 ** 3});
        const large = await checkModelFits(tiny.model, 0, 4096, {ramAvailableBytes: 8 * 1024 ** 3});
        expect(large.estimate.ramRequiredBytes).toBeGreaterThan(small.estimate.ramRequiredBytes);
    });

    it("validates the file first", async () => {
        await expect(assertModelFitsInMemory(path.join(tiny.dir, "missing.gguf"), 0, 512)).rejects.toThrow(/file not found/);
    });
});
