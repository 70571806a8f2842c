// Which llama.cpp binary ran, as facts: its build type, the CPU kernel variant ggml picked, and what runs its
// compute threads. Kept structured in every row (explainGap reads threadRuntime, never the text); the
// one-line text is made at the edges (the binary column, the CLI) by formatBinary.
import {readFileSync} from "node:fs";
import type {BinaryInfo} from "../types.js";

const CPU_LIBRARY = /(\/\S*)?libggml-cpu-([\w-]+)\.so/;

/** The CPU kernel variant a prebuilt ggml library is built for, from its path or file name (libggml-cpu-zen4.so: zen4). */
export function cpuVariantOf(text: string): string | null {
    return CPU_LIBRARY.exec(text)?.[2] ?? null;
}

/** This process's memory map (Linux), or null where there is none to read. */
const readOwnMaps: (() => string) | null = process.platform === "linux" ? () => readFileSync("/proc/self/maps", "utf8") : null;

/**
 * "prebuilt" or "localBuild", plus the CPU kernel variant ggml picked for this CPU (the prebuilt
 * packages ship one per micro-architecture: haswell, skylakex, sapphirerapids, zen4, ...), which
 * decides which SIMD paths run, and what runs the compute threads: an OpenMP runtime or ggml's own
 * thread pool. node-llama-cpp runs each decode on whichever libuv worker is free, which OpenMP (a team
 * per calling thread) handles far worse at 2+ threads. ggml logs neither, so read what is mapped (Linux).
 * A local build also names the CMake options it was built with, since they decide its kernels too.
 */
export function describeBinary(buildType: string, cmakeOptions: Readonly<Record<string, string>> = {},
    maps: (() => string) | null = readOwnMaps): BinaryInfo {
    let cpuVariant: string | null = null;
    let cpuLibrary: string | null = null;
    let threadRuntime: BinaryInfo["threadRuntime"] = null;
    if (maps != null) {
        try {
            const mapped = maps();
            const library = CPU_LIBRARY.exec(mapped);
            cpuVariant = library?.[2] ?? null;
            cpuLibrary = library?.[1] != null ? library[0] : null;
            // GCC's, LLVM's or Intel's OpenMP runtime
            threadRuntime = /\/lib[gi]?omp\d*\.so/.test(mapped) ? "openmp" : "ggml";
        } catch {
            // unknown variant and threading
        }
    }
    const options = Object.entries(cmakeOptions).map(([key, value]) => `${key}=${value}`);
    return {
        buildType, cpuVariant, threadRuntime,
        ...(buildType !== "prebuilt" && options.length > 0 ? {cmakeOptions: options.join(" ")} : {}),
        ...(cpuLibrary != null ? {cpuLibrary} : {})
    };
}
