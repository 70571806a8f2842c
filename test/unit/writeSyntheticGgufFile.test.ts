// The synthetic writer's file handling: streaming, progress, ".partial" then rename, abort, determinism.
// (Loading the files in llama.cpp is in test/model/writeSyntheticGguf.test.ts.)
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {writeSyntheticGguf} from "../../src-main/engine/models/writeSyntheticGguf.js";
import {SHAPE_PRESETS} from "../../src-main/engine/models/shapePresets.js";
import {planSyntheticTensors} from "../../src-main/engine/models/planSyntheticTensors.js";
import {validateGguf} from "../../src-main/engine/models/validateGguf.js";

let dir: string;
beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-writer-"));
});
afterAll(async () => {
    await fs.rm(dir, {recursive: true, force: true});
});

const sha = async (file: string) => crypto.createHash("sha256").update(await fs.readFile(file)).digest("hex");

describe("writeSyntheticGguf (file handling)", () => {
    it("writes the planned bytes plus a header, reporting progress up to the total", async () => {
        const progress: Array<[number, number]> = [];
        const outPath = path.join(dir, "nested", "tiny.gguf");
        const result = await writeSyntheticGguf({
            shape: SHAPE_PRESETS.tiny!, type: "q4_0", outPath, onProgress: (written, total) => progress.push([written, total])
        });

        expect(result.path).toBe(outPath);
        expect((await fs.stat(outPath)).size).toBe(result.bytes);
        const planned = planSyntheticTensors(SHAPE_PRESETS.tiny!, "q4_0").reduce((sum, t) => sum + t.bytes, 0);
        expect(result.bytes).toBeGreaterThan(planned);
        expect(result.bytes - planned).toBeLessThan(64 * 1024); // header + alignment padding
        expect(progress.at(-1)).toEqual([result.bytes, result.bytes]);
        expect(progress.every(([written], i) => i === 0 || written > progress[i - 1]![0])).toBe(true);
        await expect(fs.access(outPath + ".partial")).rejects.toThrow();
        await validateGguf(outPath);
    });

    it("writes the same bytes for the same seed and different bytes for another", async () => {
        const write = (name: string, seed: number) =>
            writeSyntheticGguf({shape: SHAPE_PRESETS.tiny!, type: "q4_k", outPath: path.join(dir, name), seed});
        await write("a.gguf", 11);
        await write("b.gguf", 11);
        await write("c.gguf", 12);
        expect(await sha(path.join(dir, "a.gguf"))).toBe(await sha(path.join(dir, "b.gguf")));
        expect(await sha(path.join(dir, "a.gguf"))).not.toBe(await sha(path.join(dir, "c.gguf")));
    });

    it("streams: a 1B file is written in chunks, and an abort leaves neither the file nor the .partial", async () => {
        const outPath = path.join(dir, "aborted-1b.gguf");
        const controller = new AbortController();
        const chunks: number[] = [];
        let total = 0;
        const write = writeSyntheticGguf({
            shape: SHAPE_PRESETS["1b"]!, type: "q4_0", outPath, signal: controller.signal,
            onProgress: (written, totalBytes) => {
                chunks.push(written);
                total = totalBytes;
                if (written > 20 * 1024 * 1024)
                    controller.abort();
            }
        });
        await expect(write).rejects.toThrow(/abort/i);
        expect(total).toBeGreaterThan(600e6);
        // no chunk bigger than the 4 MB pattern: the file is never built in memory
        const steps = chunks.map((written, i) => written - (chunks[i - 1] ?? 0));
        expect(Math.max(...steps.slice(1))).toBeLessThanOrEqual(4 * 1024 * 1024);
        await expect(fs.access(outPath)).rejects.toThrow();
        await expect(fs.access(outPath + ".partial")).rejects.toThrow();
    });

    it("rejects an already aborted signal without creating anything", async () => {
        const outPath = path.join(dir, "never.gguf");
        await expect(writeSyntheticGguf({shape: SHAPE_PRESETS.tiny!, type: "f16", outPath, signal: AbortSignal.abort()}))
            .rejects.toThrow(/abort/i);
        await expect(fs.access(outPath + ".partial")).rejects.toThrow();
    });
});
