import fs from "node:fs/promises";

/**
 * The last step of the GGUF writers: the finished `.partial` file takes its final name, unless the signal aborted
 * first; on any failure the partial file is removed, so no half-written model is ever left under either name.
 */
export async function movePartialIntoPlace(partialPath: string, finalPath: string, signal?: AbortSignal): Promise<void> {
    try {
        signal?.throwIfAborted();
        await fs.rename(partialPath, finalPath);
    } catch (err) {
        await fs.rm(partialPath, {force: true});
        throw err;
    }
}
