import {execFile} from "node:child_process";
import {promisify} from "node:util";

const execFileAsync = promisify(execFile);

export interface PageCacheState {
    state: "warm" | "partial" | "cold" | "unknown",
    fraction?: number
}

/**
 * How much of a file is in the OS page cache, via util-linux `fincore` (mincore(2) underneath; Node has
 * no binding). A warm file loads from RAM, a cold one from disk: load times differ by orders of
 * magnitude, so every load time says which it was. Elsewhere, or without fincore: "unknown".
 */
export async function pageCacheState(file: string, fileBytes: number): Promise<PageCacheState> {
    if (process.platform !== "linux" || fileBytes <= 0)
        return {state: "unknown"};

    try {
        const {stdout} = await execFileAsync("fincore", ["--bytes", "--noheadings", "--output", "RES", file], {timeout: 5000});
        const residentBytes = Number(stdout.trim());
        if (!Number.isFinite(residentBytes))
            return {state: "unknown"};

        const fraction = Math.min(1, residentBytes / fileBytes);
        const state = fraction >= 0.9 ? "warm" : fraction <= 0.1 ? "cold" : "partial";
        return {state, fraction};
    } catch {
        return {state: "unknown"};
    }
}
