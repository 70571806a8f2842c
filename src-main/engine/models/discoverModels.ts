// Finds GGUF files (and legacy GGML ones) where people keep them: this project's models/ folder, LM Studio's folders, Ollama's
// blob store and the Hugging Face cache. Also owns the built-in default model (a synthetic 1B Q4_0
// written once into models/) so a first benchmark needs no download.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {packageRoot} from "../packageRoot.js";
import {existsSync} from "node:fs";
import {SHAPE_PRESETS} from "./shapePresets.js";
import {validateGguf} from "./validateGguf.js";
import {writeSyntheticGguf} from "./writeSyntheticGguf.js";
import {legacyGgmlFormat} from "./legacyGgmlFormat.js";

export interface ModelDir {
    path: string,
    /** "models", "lm-studio", "ollama", "huggingface", or the caller's label. */
    origin: string
}

export interface DiscoveredModel {
    path: string,
    origin: string,
    bytes: number
}

export interface DiscoverModelsOptions {
    /** Folders to scan instead of the default ones (see defaultModelDirs). */
    dirs?: ModelDir[],
    signal?: AbortSignal
}

export const DEFAULT_MODEL_FILE = "llama-1b-q4_0.synthetic.gguf";
/** What the built-in default model is: its shape preset and weight type. */
export const DEFAULT_MODEL = {shape: "1b", type: "q4_0"} as const;

const maxDepth = 8;
/** Entries looked at per folder scanned, files and folders alike. */
const maxEntries = 200_000;

/** The project's models/ folder: LLAMAMETER_MODELS_DIR, else models/ at the repository root. */
export function defaultModelsDir(): string {
    const fromEnv = process.env.LLAMAMETER_MODELS_DIR;
    if (fromEnv != null && fromEnv !== "")
        return path.resolve(fromEnv);

    return path.join(packageRoot(), "models");
}

/** The folders scanned when none are given; those that do not exist are skipped when scanning. */
export function defaultModelDirs(): ModelDir[] {
    const home = os.homedir();
    const hfHub = process.env.HF_HUB_CACHE ??
        (process.env.HF_HOME != null ? path.join(process.env.HF_HOME, "hub") : path.join(home, ".cache", "huggingface", "hub"));
    const ollamaRoot = process.env.OLLAMA_MODELS ?? path.join(home, ".ollama", "models");

    return [
        {path: defaultModelsDir(), origin: "models"},
        {path: path.join(home, ".lmstudio", "models"), origin: "lm-studio"},
        {path: path.join(home, ".cache", "lm-studio", "models"), origin: "lm-studio"},
        {path: path.join(ollamaRoot, "blobs"), origin: "ollama"},
        // Linux service installs keep models under the ollama user's home
        {path: "/usr/share/ollama/.ollama/models/blobs", origin: "ollama"},
        {path: hfHub, origin: "huggingface"}
    ];
}

/**
 * GGUF files under the given (or default) folders: *.gguf files (only the first part of split models),
 * and Ollama's sha256-* blobs whose first bytes are the GGUF magic. Each file is listed once, under the
 * first folder it was found in.
 */
export async function discoverModels(options: DiscoverModelsOptions = {}): Promise<DiscoveredModel[]> {
    const {signal} = options;
    const dirs = options.dirs ?? defaultModelDirs();
    const found: DiscoveredModel[] = [];
    const seenFiles = new Set<string>();

    for (const dir of dirs) {
        signal?.throwIfAborted();
        const root = await fs.realpath(dir.path).catch(() => null);
        if (root == null)
            continue;

        const files: string[] = [];
        await walk(dir.path, 0, {root, seenDirs: new Set([root]), visited: 0}, files, signal);
        for (const file of files.sort()) {
            const real = await fs.realpath(file).catch(() => null);
            if (real == null || seenFiles.has(real))
                continue;

            const stat = await fs.stat(real).catch(() => null);
            if (stat == null || !stat.isFile())
                continue;
            if (!file.toLowerCase().endsWith(".gguf") && !(await hasModelMagic(real)))
                continue;

            seenFiles.add(real);
            found.push({path: file, origin: dir.origin, bytes: stat.size});
        }
    }
    return found;
}

interface WalkState {
    /** The scanned folder's real path: links to folders outside it are not followed. */
    root: string,
    seenDirs: Set<string>,
    /** Entries looked at so far, files and folders alike. */
    visited: number
}

async function walk(dir: string, depth: number, state: WalkState, files: string[], signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (depth > maxDepth || files.length >= maxEntries || state.visited >= maxEntries)
        return;

    const entries = await fs.readdir(dir, {withFileTypes: true}).catch(() => []);
    for (const entry of entries) {
        if (entry.name.startsWith("."))
            continue;
        if (++state.visited >= maxEntries)
            return;

        const full = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
            // Hugging Face snapshots are symlinks into blobs/, inside the same folder. A link to a folder
            // outside it is not followed: a link to / made listModels walk the whole filesystem, /proc
            // included (9.4 s). A folder on another disk is scanned when it is given as a folder itself.
            const stat = await fs.stat(full).catch(() => null);
            isDir = stat?.isDirectory() ?? false;
            isFile = stat?.isFile() ?? false;
            if (isDir) {
                const real = await fs.realpath(full).catch(() => null);
                if (real == null || !isInsideOrSame(state.root, real))
                    continue;
            }
        }

        if (isDir) {
            const real = await fs.realpath(full).catch(() => null);
            if (real == null || state.seenDirs.has(real))
                continue;
            state.seenDirs.add(real);
            await walk(full, depth + 1, state, files, signal);
        } else if (isFile && isCandidate(entry.name))
            files.push(full);
    }
}

function isInsideOrSame(dir: string, candidate: string): boolean {
    const rel = path.relative(dir, candidate);
    return rel === "" || (rel !== ".." && !rel.startsWith(".." + path.sep) && !path.isAbsolute(rel));
}

function isCandidate(name: string): boolean {
    const lower = name.toLowerCase();
    if (lower.endsWith(".gguf")) {
        // split models load from their first part
        const part = /-(\d{5})-of-\d{5}\.gguf$/.exec(lower);
        return part == null || part[1] === "00001";
    }
    // ".bin": 2023 GGML files (kept only when their magic says so: most .bin files are PyTorch weights)
    return /^sha256[-:][0-9a-f]{64}$/.test(lower) || lower.endsWith(".bin");
}

/**
 * GGUF, or a legacy GGML model container (ggml, ggmf, ggjt: 2023 "*.ggmlv3.q4_0.bin" files), which LlamaMeter
 * converts (ggjt v3) or lists with the reason it cannot (older ones). LoRA adapters and session files are not models.
 */
async function hasModelMagic(file: string): Promise<boolean> {
    const handle = await fs.open(file, "r").catch(() => null);
    if (handle == null)
        return false;
    try {
        const buffer = Buffer.alloc(8);
        const {bytesRead} = await handle.read(buffer, 0, 8, 0);
        if (bytesRead >= 4 && buffer.toString("latin1", 0, 4) === "GGUF")
            return true;
        const legacy = legacyGgmlFormat(buffer.subarray(0, bytesRead));
        return legacy != null && legacy.magic !== "ggla" && legacy.magic !== "ggsn";
    } finally {
        await handle.close();
    }
}

export interface EnsureDefaultModelOptions {
    /** Defaults to defaultModelsDir(). */
    modelsDir?: string,
    signal?: AbortSignal,
    onProgress?: (writtenBytes: number, totalBytes: number) => void
}

const pendingDefaults = new Map<string, Promise<string>>();

/**
 * The built-in default model (1B shape, Q4_0, random weights) in the models folder: written on first
 * use (about 640 MB), reused afterwards while its header and size check out.
 */
export async function ensureDefaultModel(options: EnsureDefaultModelOptions = {}): Promise<string> {
    const file = path.join(path.resolve(options.modelsDir ?? defaultModelsDir()), DEFAULT_MODEL_FILE);

    // one writer per file in this process; a second caller waits for the first
    let pending = pendingDefaults.get(file);
    if (pending == null) {
        pending = ensureFile(file, options).finally(() => pendingDefaults.delete(file));
        pendingDefaults.set(file, pending);
    }
    return await pending;
}

async function ensureFile(file: string, options: EnsureDefaultModelOptions): Promise<string> {
    if (existsSync(file)) {
        const valid = await validateGguf(file).then(() => true, () => false);
        if (valid)
            return file;
    }

    const {path: written} = await writeSyntheticGguf({
        shape: SHAPE_PRESETS[DEFAULT_MODEL.shape]!,
        type: DEFAULT_MODEL.type,
        outPath: file,
        name: "LlamaMeter default: synthetic LLaMA 1B (TinyLlama shape) Q4_0",
        seed: 1,
        ...(options.signal != null ? {signal: options.signal} : {}),
        ...(options.onProgress != null ? {onProgress: options.onProgress} : {})
    });
    return written;
}
