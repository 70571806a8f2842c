import type {FileHandle} from "node:fs/promises";

/**
 * Appends to an open file, counting the bytes and reporting them (for the GGUF writers' progress bars), and
 * stops between writes when the signal aborts.
 */
export function progressWriter(file: FileHandle, totalBytes: number, options: {signal?: AbortSignal, onProgress?: (written: number, total: number) => void}) {
    let written = 0;
    return {
        get written() {
            return written;
        },
        async write(bytes: Uint8Array): Promise<void> {
            options.signal?.throwIfAborted();
            await file.write(bytes);
            written += bytes.length;
            options.onProgress?.(written, totalBytes);
        }
    };
}
