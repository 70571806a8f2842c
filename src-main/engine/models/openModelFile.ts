import fs from "node:fs/promises";
import {ModelFileError} from "./ModelFileError.js";

/**
 * Opens a model file for reading, or throws ModelFileError with the reason in plain words (not found, permission
 * denied, a folder), so every reader of model headers refuses an unopenable path the same way.
 * `kind` names what the file should have been ("GGUF file", "GGML file").
 */
export async function openModelFile(file: string, kind: string): Promise<fs.FileHandle> {
    try {
        return await fs.open(file, "r");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const reason = code === "ENOENT" || code === "ENOTDIR" ? "file not found"
            : code === "EACCES" || code === "EPERM" ? "cannot read the file (permission denied)"
            : code === "EISDIR" ? `is a directory, not a ${kind}`
            : `cannot open the file (${code ?? String(err)})`;
        throw new ModelFileError(file, reason, {cause: err});
    }
}
