import {mkdtemp, rm} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {writeSyntheticGguf} from "../../src-main/engine/models/writeSyntheticGguf.js";
import {resolveShape} from "../../src-main/engine/models/shapePresets.js";
import {assertModelFitsInMemory} from "../../src-main/engine/bench/assertModelFitsInMemory.js";

let dir: string;
let model: string;

beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "llamameter-fit-"));
    model = (await writeSyntheticGguf({shape: resolveShape("tiny"), type: "q4_0", outPath: path.join(dir, "tiny.gguf")})).path;
});

afterAll(async () => {
    await rm(dir, {recursive: true, force: true});
});

describe("assertModelFitsInMemory", () => {
    it("passes a model that fits and returns its size", async () => {
        const bytes = await assertModelFitsInMemory(model, 0, 512, {ramAvailableBytes: 8 * 1024 ** 3});
        expect(bytes).toBeGreaterThan(100_000);
    });

    it("refuses a load larger than the RAM budget with a one-line reason, before loading", async () => {
        await expect(assertModelFitsInMemory(model, 0, 512, {ramAvailableBytes: 64 * 1024}))
            .rejects.toThrow(/^does not fit in memory: needs \d+(\.\d)? [MG]iB of RAM, 1 MiB available$/);
    });

    it("validates the file first", async () => {
        await expect(assertModelFitsInMemory(path.join(dir, "missing.gguf"), 0, 512)).rejects.toThrow(/file not found/);
    });
});
