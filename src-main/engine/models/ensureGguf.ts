// The GGUF file to benchmark for a model file: the file itself when it is GGUF (or anything else, which
// validateGguf then judges), or, for a ggjt v3 file, its GGUF conversion, made on first use into a cache
// folder next to the results and found there afterwards. Older GGML containers fail with a one-line
// ModelFileError naming the format and why it cannot be converted.
import {createHash} from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import {convertGgjtToGguf} from "./convertGgjtToGguf.js";
import {readLegacyGgmlFormat} from "./legacyGgmlFormat.js";
import {GGJT_V3_LABEL} from "./mapGgjtToGguf.js";
import {ModelFileError} from "./ModelFileError.js";
import {defaultResultsFile} from "../store/resultsStore.js";

export interface EnsureGgufOptions {
    /** Where conversions are kept; default: defaultConvertedDir(). */
    cacheDir?: string,
    /** Grouped-query attention factor for ggjt files (see mapGgjtToGguf); checked against the file. */
    gqa?: number,
    signal?: AbortSignal,
    /** Conversion progress (bytes of the GGUF written). */
    onProgress?: (writtenBytes: number, totalBytes: number) => void
}

export interface GgufModelFile {
    /** The GGUF to load: the file itself, or its converted copy. */
    path: string,
    /** Set when the file is a legacy GGML file converted to `path`. */
    conversion?: {
        from: typeof GGJT_V3_LABEL,
        source: string,
        sourceBytes: number,
        /** Whether the conversion was already in the cache (then ms is 0). */
        cached: boolean,
        ms: number
    }
}

/** "converted/" beside the results history: conversions are as large as their source files, kept with the results. */
export function defaultConvertedDir(resultsFile: string = defaultResultsFile()): string {
    return path.join(path.dirname(resultsFile), "converted");
}

export async function ensureGguf(file: string, options: EnsureGgufOptions = {}): Promise<GgufModelFile> {
    const format = await readLegacyGgmlFormat(file);
    if (format == null)
        return {path: file};
    if (format.refusal != null)
        throw new ModelFileError(file, format.refusal);

    const stat = await fs.stat(file);
    const cacheDir = options.cacheDir ?? defaultConvertedDir();
    const prefix = cachePrefix(file);
    // size and mtime key the copy: a replaced or re-downloaded source converts again
    const target = path.join(cacheDir, `${prefix}${stat.size}-${Math.trunc(stat.mtimeMs)}.gguf`);
    const conversion = {from: GGJT_V3_LABEL, source: file, sourceBytes: stat.size};
    if (await isFile(target))
        return {path: target, conversion: {...conversion, cached: true, ms: 0}};

    const started = performance.now();
    try {
        await convertGgjtToGguf({source: file, outPath: target, gqa: options.gqa, signal: options.signal, onProgress: options.onProgress});
    } catch (err) {
        if (err instanceof ModelFileError || options.signal?.aborted)
            throw err;
        throw new ModelFileError(file, `cannot convert it to GGUF in ${cacheDir} (${(err as Error).message})`, {cause: err});
    }
    const ms = performance.now() - started;
    await removeStaleCopies(cacheDir, prefix, target);
    return {path: target, conversion: {...conversion, cached: false, ms}};
}

/** "<name>-<hash of the absolute path>-": two sources with one name in different folders keep separate copies. */
function cachePrefix(file: string): string {
    const absolute = path.resolve(file);
    const stem = path.basename(absolute).replace(/\.bin$/i, "").replace(/[^\w.-]+/g, "_");
    return `${stem}-${createHash("sha256").update(absolute).digest("hex").slice(0, 8)}-`;
}

/** Conversions of earlier versions of the same source (another size or mtime): up to gigabytes each. */
async function removeStaleCopies(cacheDir: string, prefix: string, keep: string): Promise<void> {
    const names = await fs.readdir(cacheDir).catch(() => [] as string[]);
    for (const name of names)
        if (name.startsWith(prefix) && name.endsWith(".gguf") && path.join(cacheDir, name) !== keep)
            await fs.rm(path.join(cacheDir, name), {force: true});
}

async function isFile(file: string): Promise<boolean> {
    return (await fs.stat(file).catch(() => null))?.isFile() ?? false;
}
