// Where the native engine's llama-bench comes from: the user's (--llama-bench PATH), the PATH, an earlier build
// from node-llama-cpp's bundled llama.cpp source, or a new such build when CMake and a C++ compiler exist.
import {spawnSync} from "node:child_process";
import {accessSync, constants, existsSync} from "node:fs";
import path from "node:path";
import {buildLlamaBench, defaultLlamaBenchSourceDir, type BuildProgress} from "./buildLlamaBench.js";

export interface FoundLlamaBench {
    path: string,
    /** How it was found, in words, for each row's binary column. */
    origin: string
}

export interface FindLlamaBenchOptions {
    /** The user's llama-bench (--llama-bench); used as is, never searched for. */
    explicitPath?: string,
    /** Build one from node-llama-cpp's source when none is found (12-25 min on 2 cores; cached). Default true. */
    build?: boolean,
    signal?: AbortSignal,
    onProgress?: (progress: BuildProgress) => void,
    /** For tests: the PATH to search and where a build lives. */
    envPath?: string,
    sourceDir?: string
}

const exe = process.platform === "win32" ? "llama-bench.exe" : "llama-bench";

/** The origin of a llama-bench LlamaMeter built from node-llama-cpp's bundled llama.cpp source (same commit). */
export const BUILT_FROM_SOURCE = "built from node-llama-cpp's llama.cpp source";

function executable(file: string): boolean {
    try {
        accessSync(file, constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

/** The llama-bench to run, or a one-line error saying what was tried. */
export async function findLlamaBench(options: FindLlamaBenchOptions = {}): Promise<FoundLlamaBench> {
    if (options.explicitPath != null) {
        const file = path.resolve(options.explicitPath);
        if (!executable(file))
            throw new Error(`--llama-bench ${options.explicitPath}: no executable file there`);
        return {path: file, origin: "given"};
    }
    for (const dir of (options.envPath ?? process.env.PATH ?? "").split(path.delimiter).filter((d) => d !== "")) {
        const file = path.join(dir, exe);
        if (executable(file))
            return {path: file, origin: "PATH"};
    }
    const sourceDir = options.sourceDir ?? defaultLlamaBenchSourceDir;
    const built = path.join(sourceDir, "build", "bin", exe);
    if (existsSync(path.join(sourceDir, "build", "llamameter-build.json")) && executable(built))
        return {path: built, origin: BUILT_FROM_SOURCE};
    if (options.build === false)
        throw new Error("no llama-bench: none on PATH, no --llama-bench PATH given, and no earlier build from node-llama-cpp's source");
    const tools = ["cmake", "git", process.platform === "win32" ? "cl" : "c++"].filter((tool) => spawnSync(tool, ["--version"]).error != null);
    if (tools.length > 0)
        throw new Error(`no llama-bench: none on PATH, no --llama-bench PATH given, and it cannot be built here (missing ${tools.join(", ")})`);
    const build = await buildLlamaBench({sourceDir, signal: options.signal, onProgress: options.onProgress});
    return {path: build.binaryPath, origin: BUILT_FROM_SOURCE};
}
