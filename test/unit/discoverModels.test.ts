import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {
    DEFAULT_MODEL_FILE, defaultModelDirs, defaultModelsDir, discoverModels, ensureDefaultModel
} from "../../src-main/engine/models/discoverModels.js";
import {writeSyntheticGguf} from "../../src-main/engine/models/writeSyntheticGguf.js";
import {SHAPE_PRESETS} from "../../src-main/engine/models/shapePresets.js";

let root: string;
const gguf = (extra = 0) => Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(28 + extra)]);
const sha = (c: string) => `sha256-${c.repeat(64)}`;

async function put(file: string, content: Buffer | string) {
    await fs.mkdir(path.dirname(file), {recursive: true});
    await fs.writeFile(file, content);
}

beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-discover-"));

    await put(path.join(root, "models", "a.gguf"), gguf(10));
    await put(path.join(root, "models", "sub", "B.GGUF"), gguf(20));
    await put(path.join(root, "models", "big-00001-of-00002.gguf"), gguf());
    await put(path.join(root, "models", "big-00002-of-00002.gguf"), gguf());
    await put(path.join(root, "models", "half.gguf.partial"), gguf());
    await put(path.join(root, "models", "notes.txt"), "hello");
    // 2023 GGML files are models too (ggjt v3 converts, older ones list with their reason); LoRA adapters are not
    await put(path.join(root, "models", "llama-7b.ggmlv3.q4_0.bin"), Buffer.concat([Buffer.from("tjgg", "latin1"), Buffer.from([3, 0, 0, 0]), Buffer.alloc(24)]));
    await put(path.join(root, "models", "adapter.bin"), Buffer.concat([Buffer.from("algg", "latin1"), Buffer.alloc(28)]));
    await put(path.join(root, "models", "pytorch_model.bin"), Buffer.from("PK\x03\x04 a zip", "latin1"));
    await put(path.join(root, "models", ".hidden", "h.gguf"), gguf());

    await put(path.join(root, "lmstudio", "publisher", "repo", "model-Q4_0.gguf"), gguf(30));

    await put(path.join(root, "ollama", "blobs", sha("a")), gguf(40));
    await put(path.join(root, "ollama", "blobs", sha("b")), "{\"license\": \"text blob\"}");
    await put(path.join(root, "ollama", "blobs", "sha256-short"), gguf());

    // Hugging Face: snapshots hold symlinks into blobs/
    const hub = path.join(root, "hf", "hub", "models--org--repo");
    await put(path.join(hub, "blobs", "0123abcd"), gguf(50));
    await fs.mkdir(path.join(hub, "snapshots", "rev1"), {recursive: true});
    await fs.symlink(path.join(hub, "blobs", "0123abcd"), path.join(hub, "snapshots", "rev1", "repo.Q8_0.gguf"));
    // the same file linked into the models folder: listed once, under the first folder scanned
    await fs.symlink(path.join(hub, "blobs", "0123abcd"), path.join(root, "models", "linked.gguf"));
    // a directory loop must not hang the scan
    await fs.symlink(path.join(root, "models"), path.join(root, "models", "sub", "loop"));
});

afterAll(async () => {
    await fs.rm(root, {recursive: true, force: true});
});

describe("discoverModels", () => {
    it("finds GGUF files in each kind of folder, once each, with origin and size", async () => {
        const found = await discoverModels({
            dirs: [
                {path: path.join(root, "models"), origin: "models"},
                {path: path.join(root, "lmstudio"), origin: "lm-studio"},
                {path: path.join(root, "ollama", "blobs"), origin: "ollama"},
                {path: path.join(root, "hf", "hub"), origin: "huggingface"},
                {path: path.join(root, "does-not-exist"), origin: "models"}
            ]
        });
        const rel = found.map((m) => [path.relative(root, m.path), m.origin, m.bytes]);
        expect(rel).toEqual([
            ["models/a.gguf", "models", 42],
            ["models/big-00001-of-00002.gguf", "models", 32],
            ["models/linked.gguf", "models", 82],
            ["models/llama-7b.ggmlv3.q4_0.bin", "models", 32],
            ["models/sub/B.GGUF", "models", 52],
            ["lmstudio/publisher/repo/model-Q4_0.gguf", "lm-studio", 62],
            [`ollama/blobs/${sha("a")}`, "ollama", 72]
        ]);
    });

    it("does not follow a link to a folder outside the scanned folder, such as / (issue 13)", async () => {
        const scanned = path.join(root, "linked-out");
        await put(path.join(root, "elsewhere", "outside.gguf"), gguf());
        await put(path.join(scanned, "inside.gguf"), gguf());
        await fs.symlink("/", path.join(scanned, "slash"));
        await fs.symlink(path.join(root, "elsewhere"), path.join(scanned, "other-disk"));
        const started = Date.now();
        const found = await discoverModels({dirs: [{path: scanned, origin: "models"}]});
        expect(found.map((m) => path.relative(root, m.path))).toEqual(["linked-out/inside.gguf"]);
        // a link to /, walked, took 9.4 s through /proc
        expect(Date.now() - started).toBeLessThan(2000);
    });

    it("lists the Hugging Face snapshot path when it is the first place the file is seen", async () => {
        const found = await discoverModels({dirs: [{path: path.join(root, "hf", "hub"), origin: "huggingface"}]});
        expect(found.map((m) => path.relative(root, m.path))).toEqual(["hf/hub/models--org--repo/snapshots/rev1/repo.Q8_0.gguf"]);
    });

    it("stops when aborted", async () => {
        await expect(discoverModels({dirs: [{path: root, origin: "x"}], signal: AbortSignal.abort()})).rejects.toThrow(/abort/i);
    });
});

describe("default folders", () => {
    it("resolves the repository's models/ folder, overridable by LLAMAMETER_MODELS_DIR", () => {
        vi.stubEnv("LLAMAMETER_MODELS_DIR", "");
        expect(defaultModelsDir()).toBe(path.resolve(import.meta.dirname, "../../models"));
        vi.stubEnv("LLAMAMETER_MODELS_DIR", path.join(root, "elsewhere"));
        expect(defaultModelsDir()).toBe(path.join(root, "elsewhere"));
        vi.unstubAllEnvs();
    });

    it("includes LM Studio, Ollama and Hugging Face locations, honouring their env variables", () => {
        vi.stubEnv("HF_HUB_CACHE", "/x/hub");
        vi.stubEnv("OLLAMA_MODELS", "/y/models");
        const dirs = defaultModelDirs();
        vi.unstubAllEnvs();
        const home = os.homedir();
        expect(dirs).toEqual(expect.arrayContaining([
            {path: path.join(home, ".lmstudio", "models"), origin: "lm-studio"},
            {path: path.join(home, ".cache", "lm-studio", "models"), origin: "lm-studio"},
            {path: "/y/models/blobs", origin: "ollama"},
            {path: "/x/hub", origin: "huggingface"}
        ]));
        expect(dirs[0]!.origin).toBe("models");
    });
});

describe("ensureDefaultModel", () => {
    it("reuses a valid file already there", async () => {
        const modelsDir = path.join(root, "default-ok");
        const file = path.join(modelsDir, DEFAULT_MODEL_FILE);
        // a tiny valid file stands in for the 1B one so the test writes nothing big
        await writeSyntheticGguf({shape: SHAPE_PRESETS.tiny!, type: "q4_0", outPath: file});
        const before = await fs.stat(file);
        expect(await ensureDefaultModel({modelsDir})).toBe(file);
        expect((await fs.stat(file)).mtimeMs).toBe(before.mtimeMs);
    });

    it("rewrites an invalid file (aborted here after the first chunks: no half file is left)", async () => {
        const modelsDir = path.join(root, "default-bad");
        const file = path.join(modelsDir, DEFAULT_MODEL_FILE);
        await put(file, "not a model");
        const controller = new AbortController();
        let total = 0;
        await expect(ensureDefaultModel({
            modelsDir, signal: controller.signal,
            onProgress: (written, totalBytes) => {
                total = totalBytes;
                if (written > 8 * 1024 * 1024)
                    controller.abort();
            }
        })).rejects.toThrow(/abort/i);
        expect(total).toBeGreaterThan(600e6); // the 1B Q4_0 default
        expect(total).toBeLessThan(650e6);
        await expect(fs.access(file + ".partial")).rejects.toThrow();
    });
});
