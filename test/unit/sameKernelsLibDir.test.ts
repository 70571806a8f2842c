import {mkdtemp, readlink, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {sameKernelsLibDir} from "../../src-main/engine/native/sameKernelsLibDir.js";

describe("sameKernelsLibDir", () => {
    const dirs: string[] = [];
    afterEach(async () => { await Promise.all(dirs.splice(0).map((dir) => rm(dir, {recursive: true, force: true}))); });
    const temp = async () => { const dir = await mkdtemp(path.join(os.tmpdir(), "llamameter-kernels-test-")); dirs.push(dir); return dir; };

    it("links node-llama-cpp's CPU kernel library and its libggml-base under the names llama-bench's build loads", async () => {
        const bins = await temp();
        const cpu = path.join(bins, "libggml-cpu-zen4.so");
        await writeFile(cpu, "");
        await writeFile(path.join(bins, "libggml-base.so"), "");
        const base = await temp();
        const dir = await sameKernelsLibDir(cpu, {platform: "linux", baseDir: base});
        expect(dir).not.toBeNull();
        for (const name of ["libggml-cpu.so", "libggml-cpu.so.0"])
            expect(await readlink(path.join(dir!, name))).toBe(cpu);
        expect(await readlink(path.join(dir!, "libggml-base.so.0"))).toBe(path.join(bins, "libggml-base.so"));
        // made once, found again
        expect(await sameKernelsLibDir(cpu, {platform: "linux", baseDir: base})).toBe(dir);
    });

    it("gives null where it cannot: not Linux, a relative path, or no libggml-base beside the library", async () => {
        const bins = await temp();
        const cpu = path.join(bins, "libggml-cpu-zen4.so");
        await writeFile(cpu, "");
        expect(await sameKernelsLibDir(cpu, {platform: "linux", baseDir: bins})).toBeNull();
        await writeFile(path.join(bins, "libggml-base.so"), "");
        expect(await sameKernelsLibDir(cpu, {platform: "darwin", baseDir: bins})).toBeNull();
        expect(await sameKernelsLibDir("libggml-cpu-zen4.so", {platform: "linux", baseDir: bins})).toBeNull();
    });
});
