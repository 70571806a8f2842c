import path from "node:path";
import {describe, expect, it} from "vitest";
import {assertModelFitsInMemory} from "../../src-main/engine/bench/assertModelFitsInMemory.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-fit-");

describe("assertModelFitsInMemory", () => {
    it("passes a model that fits and returns its size", async () => {
        const bytes = await assertModelFitsInMemory(tiny.model, 0, 512, {ramAvailableBytes: 8 * 1024 ** 3});
        expect(bytes).toBeGreaterThan(100_000);
    });

    it("refuses a load larger than the RAM budget with a one-line reason, before loading", async () => {
        await expect(assertModelFitsInMemory(tiny.model, 0, 512, {ramAvailableBytes: 64 * 1024}))
            .rejects.toThrow(/^does not fit in memory: needs \d+(\.\d)? [MG]iB of RAM, 1 MiB available$/);
    });

    it("validates the file first", async () => {
        await expect(assertModelFitsInMemory(path.join(tiny.dir, "missing.gguf"), 0, 512)).rejects.toThrow(/file not found/);
    });
});
