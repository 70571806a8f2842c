// llama-bench over the CPU kernels node-llama-cpp runs. The llama-bench LlamaMeter builds (buildLlamaBench) compiles
// its own ggml (GGML_NATIVE, OpenMP), whose kernels and threading differ from the prebuilt library node-llama-cpp
// loads: on a 2-core Sapphire Rapids VM, 30m Q4_0 model, 1 thread, tg32, flash attention off, the build's own
// libraries ran 285-395 t/s and the same llama-bench over the prebuilt libggml-cpu-sapphirerapids.so 557-601 t/s.
// Compared that way, "node-llama-cpp 1.8x of llama-bench" measured two builds, not the binding. Both come from the
// same llama.cpp commit (the bundle node-llama-cpp ships), so the prebuilt libraries fit llama-bench's own
// libllama: a folder of links named as llama-bench's build expects them, first on LD_LIBRARY_PATH, swaps them in.
import {existsSync} from "node:fs";
import {mkdir, readlink, rm, symlink} from "node:fs/promises";
import {createHash} from "node:crypto";
import os from "node:os";
import path from "node:path";

/** This process's environment with `dir` searched first for shared libraries (Linux), or as it is without one. */
export function withLibraryDir(dir: string | null | undefined, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return dir == null ? env : {...env, LD_LIBRARY_PATH: [dir, env.LD_LIBRARY_PATH].filter(Boolean).join(path.delimiter)};
}

/**
 * A folder whose libggml-cpu.so and libggml-base.so are node-llama-cpp's prebuilt `cpuLibrary` and the
 * libggml-base.so beside it, made once per library; null where that cannot be done (not Linux, no such files).
 */
export async function sameKernelsLibDir(cpuLibrary: string, options: {platform?: NodeJS.Platform, baseDir?: string} = {}): Promise<string | null> {
    if ((options.platform ?? process.platform) !== "linux" || !path.isAbsolute(cpuLibrary))
        return null;
    const baseLibrary = path.join(path.dirname(cpuLibrary), "libggml-base.so");
    if (!existsSync(cpuLibrary) || !existsSync(baseLibrary))
        return null;
    const hash = createHash("sha256").update(cpuLibrary).digest("hex").slice(0, 12);
    const dir = path.join(options.baseDir ?? os.tmpdir(), `llamameter-kernels-${hash}`);
    await mkdir(dir, {recursive: true});
    const links: Array<[string, string]> = [
        ["libggml-cpu.so", cpuLibrary], ["libggml-cpu.so.0", cpuLibrary],
        ["libggml-base.so", baseLibrary], ["libggml-base.so.0", baseLibrary]
    ];
    for (const [name, target] of links) {
        const link = path.join(dir, name);
        const current = await readlink(link).catch(() => null);
        if (current === target)
            continue;
        await rm(link, {force: true});
        await symlink(target, link);
    }
    return dir;
}
