import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {validateGguf} from "../../src-main/engine/models/validateGguf.js";
import {ModelFileError} from "../../src-main/engine/models/ModelFileError.js";
import {BAD_GGUF_REASONS, writeBadGgufFixtures, type BadGgufFixture} from "../fixtures/writeBadGgufFixtures.js";
import {encodeGgufHeader, type GgufKv, type GgufTensorEntry} from "../../src-main/engine/models/encodeGgufHeader.js";

let dir: string;
let fixtures: Record<BadGgufFixture | "good", string>;

beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-validate-"));
    fixtures = await writeBadGgufFixtures(path.join(dir, "fixtures"));
});

afterAll(async () => {
    await fs.rm(dir, {recursive: true, force: true});
});

async function reasonOf(file: string): Promise<string> {
    try {
        await validateGguf(file);
    } catch (err) {
        expect(err).toBeInstanceOf(ModelFileError);
        const error = err as ModelFileError;
        expect(error.file).toBe(file);
        expect(error.message).toBe(`${file}: ${error.reason}`);
        expect(error.message).not.toMatch(/\n/);
        return error.reason;
    }
    throw new Error(`validateGguf accepted ${file}`);
}

/** A header-only file built by hand, padded with `dataBytes` zero bytes of tensor data. */
async function handMade(name: string, kvs: GgufKv[], tensors: GgufTensorEntry[], dataBytes: number, alignment = 32): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, Buffer.concat([encodeGgufHeader(kvs, tensors, alignment), Buffer.alloc(dataBytes)]));
    return file;
}

describe("validateGguf", () => {
    it("accepts a good synthetic file", async () => {
        await expect(validateGguf(fixtures.good)).resolves.toBeUndefined();
    });

    it.each(Object.entries(BAD_GGUF_REASONS))("gives the specific reason for %s", async (name, fragment) => {
        const reason = await reasonOf(fixtures[name as BadGgufFixture]);
        expect(reason).toContain(fragment);
    });

    it("names the offending tensor and the numbers", async () => {
        expect(await reasonOf(fixtures.tooManyDims)).toContain('tensor "token_embd.weight" has 99 dimensions (llama.cpp allows at most 4)');
        expect(await reasonOf(fixtures.unknownTensorType)).toContain('"token_embd.weight"');
        const size = (await fs.stat(fixtures.dataCutShort)).size;
        expect(await reasonOf(fixtures.dataCutShort)).toContain(`the file has ${size} bytes`);
    });

    it("recognises Git LFS pointers, HTML pages and old GGML files", async () => {
        const lfs = path.join(dir, "lfs.gguf");
        await fs.writeFile(lfs, "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 3825807040\n");
        expect(await reasonOf(lfs)).toContain("Git LFS pointer");

        const html = path.join(dir, "html.gguf");
        await fs.writeFile(html, "<!DOCTYPE html><html><body>Not found</body></html>");
        expect(await reasonOf(html)).toContain("HTML page");

        const ggjt = path.join(dir, "old.bin");
        const old = Buffer.alloc(64);
        old.write("tjgg", 0, "latin1");
        await fs.writeFile(ggjt, old);
        expect(await reasonOf(ggjt)).toContain("is a ggjt file of unknown version 0");
        old.writeUInt32LE(3, 4);
        await fs.writeFile(ggjt, old);
        expect(await reasonOf(ggjt)).toContain("is a ggjt v3 file, the old GGML format llama.cpp no longer loads, not GGUF: LlamaMeter's bench converts it to GGUF first");
        old.writeUInt32LE(2, 4);
        await fs.writeFile(ggjt, old);
        expect(await reasonOf(ggjt)).toContain("is a ggjt v2 file");

        const short = path.join(dir, "short.gguf");
        await fs.writeFile(short, Buffer.from([0x47, 0x00]));
        expect(await reasonOf(short)).toContain("too short");
    });

    it("rejects GGUF v1 and byte-swapped versions", async () => {
        const good = await fs.readFile(fixtures.good);
        const v1 = Buffer.from(good);
        v1.writeUInt32LE(1, 4);
        await fs.writeFile(path.join(dir, "v1.gguf"), v1);
        expect(await reasonOf(path.join(dir, "v1.gguf"))).toContain("version 1 is no longer supported");

        const swapped = Buffer.from(good);
        swapped.writeUInt32BE(3, 4);
        await fs.writeFile(path.join(dir, "be.gguf"), swapped);
        expect(await reasonOf(path.join(dir, "be.gguf"))).toContain("big-endian");
    });

    it("mirrors gguf.cpp's table checks", async () => {
        const f32 = (name: string, offset: number): GgufTensorEntry => ({name, ggmlType: 0, dims: [8], offset});

        expect(await reasonOf(await handMade("removed.gguf", [], [{name: "w", ggmlType: 4, dims: [32], offset: 0}], 64)))
            .toContain("type Q4_2 (id 4), which llama.cpp no longer supports");
        expect(await reasonOf(await handMade("rows.gguf", [], [{name: "w", ggmlType: 12, dims: [64], offset: 0}], 256)))
            .toContain("not whole Q4_K blocks of 256");
        expect(await reasonOf(await handMade("dup.gguf", [], [f32("a", 0), f32("a", 32)], 64)))
            .toContain('duplicate tensor "a"');
        expect(await reasonOf(await handMade("gap.gguf", [], [f32("a", 0), f32("b", 64)], 128)))
            .toContain('tensor "b" has offset 64, expected 32');
        expect(await reasonOf(await handMade("longname.gguf", [], [f32("x".repeat(64), 0)], 32)))
            .toContain("longer than 63 characters");
        expect(await reasonOf(await handMade("empty-table.gguf", [{key: "general.architecture", type: "string", value: "llama"}], [], 0)))
            .toContain("contains no tensors");
        expect(await reasonOf(await handMade("align.gguf", [{key: "general.alignment", type: "u32", value: 48}], [f32("a", 0)], 64)))
            .toContain("not a power of 2");
        expect(await reasonOf(await handMade("align-type.gguf", [{key: "general.alignment", type: "i32", value: 32}], [f32("a", 0)], 64)))
            .toContain("general.alignment must be a uint32");
        expect(await reasonOf(await handMade("dupkey.gguf", [
            {key: "general.name", type: "string", value: "a"},
            {key: "general.name", type: "string", value: "b"}
        ], [f32("a", 0)], 64))).toContain('duplicate metadata key "general.name"');

        // a custom alignment moves the data start; the validator must follow it
        await expect(validateGguf(await handMade("align64.gguf", [{key: "general.alignment", type: "u32", value: 64}],
            [f32("a", 0), f32("b", 64)], 128, 64))).resolves.toBeUndefined();
    });

    it("reads only the header, never the whole file", async () => {
        // the good file grown to 1 GB (sparse), as if its data were large; validation must not read it
        const big = path.join(dir, "big.gguf");
        await fs.copyFile(fixtures.good, big);
        await fs.truncate(big, 1024 ** 3);

        let bytesRead = 0;
        const realOpen = fs.open;
        const spy = vi.spyOn(fs, "open").mockImplementation(async (...args: Parameters<typeof fs.open>) => {
            const handle = await realOpen(...args);
            const realRead = handle.read.bind(handle);
            handle.read = (async (...readArgs: unknown[]) => {
                const result = await (realRead as (...a: unknown[]) => Promise<{bytesRead: number}>)(...readArgs);
                bytesRead += result.bytesRead;
                return result;
            }) as typeof handle.read;
            return handle;
        });
        try {
            await validateGguf(big);
        } finally {
            spy.mockRestore();
        }
        expect(bytesRead).toBeGreaterThan(0);
        expect(bytesRead).toBeLessThanOrEqual(1024 * 1024 + 4096);
    });
});

describe("errors never quote the file (issue 13)", () => {
    it("says \"a text file\" or \"bad magic\" without any of the file's content", async () => {
        const secretLine = "root:$y$j9T$SECRETHASH:19000:0:99999:7:::";
        const text = path.join(dir, "shadow-like.gguf");
        await fs.writeFile(text, `${secretLine}\ndaemon:*:19000:0:99999:7:::\n`);
        const reason = await reasonOf(text);
        expect(reason).toBe("is a text file, not a GGUF file");
        const binary = path.join(dir, "binary.gguf");
        await fs.writeFile(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]));
        const magic = await reasonOf(binary);
        expect(magic).toMatch(/^bad magic/);
        expect(magic).not.toMatch(/7f|45 4c 46|ELF/i);
        expect(reason + magic).not.toMatch(/root|SECRET/);
    });
});
