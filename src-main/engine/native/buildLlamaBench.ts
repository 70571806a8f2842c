// Builds llama.cpp's own llama-bench from the exact llama.cpp source node-llama-cpp bundles
// (node_modules/node-llama-cpp/llama/gitRelease.bundle), so "native" means the same code LlamaMeter runs.
// The clone and its build live in the git-ignored .cache/ folder and are reused while the bundle's commit
// and the cmake options stay the same. Run: npx tsx src-main/engine/native/buildLlamaBench.ts [--jobs N]
import {spawn, spawnSync} from "node:child_process";
import {existsSync, readFileSync} from "node:fs";
import {mkdir, readFile, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {packageRoot} from "../packageRoot.js";
import {gccAmxTileconfigFixHeader} from "./gccAmxTileconfigFix.js";

const root = packageRoot();
const llamaDir = path.join(root, "node_modules", "node-llama-cpp", "llama");
/** The default clone-and-build folder (git-ignored); its llama-bench is found by findLlamaBench too. */
export const defaultLlamaBenchSourceDir = path.join(root, ".cache", "llama.cpp-src");

/** CPU-only, optimised for this machine (as node-llama-cpp's own local builds are), no network code. */
export const defaultLlamaBenchCmakeOptions: Readonly<Record<string, string>> = {
    CMAKE_BUILD_TYPE: "Release",
    GGML_NATIVE: "ON",
    LLAMA_CURL: "OFF",
    GGML_CUDA: "OFF",
    GGML_VULKAN: "OFF",
    GGML_METAL: "OFF",
    LLAMA_BUILD_TESTS: "OFF",
    LLAMA_BUILD_EXAMPLES: "OFF",
    LLAMA_BUILD_SERVER: "OFF"
};

export interface BuildProgress {
    phase: "clone" | "configure" | "build" | "done",
    /** Build steps done and total, when the build tool tells them. */
    done?: number,
    total?: number,
    line: string
}

export interface BuildLlamaBenchOptions {
    /** Where to clone the source; its build goes in `build/` inside. Default: <repo>/.cache/llama.cpp-src. */
    sourceDir?: string,
    /** Git bundle to clone. Default: node-llama-cpp's llama/gitRelease.bundle. */
    bundlePath?: string,
    /** Parallel compile jobs. Default: the number of logical CPUs. */
    jobs?: number,
    /** Extra or overriding cmake -D options (merged over defaultLlamaBenchCmakeOptions). */
    cmakeOptions?: Record<string, string>,
    /** C and C++ compilers. Default: $CC/$CXX, else chooseCompiler()'s pick. */
    compiler?: CompilerChoice,
    signal?: AbortSignal,
    onProgress?: (progress: BuildProgress) => void
}

export interface CompilerChoice {
    /** Commands; undefined lets cmake pick the system default. */
    cc?: string,
    cxx?: string,
    /** Extra C++ compile flags this choice needs. */
    cxxFlags?: string,
    /** Why this compiler, for the report. */
    note: string
}

export interface LlamaBenchBuild {
    binaryPath: string,
    sourceDir: string,
    /** Commit of the bundled llama.cpp source. */
    commit: string,
    /** node-llama-cpp's name for that source, e.g. "v0.5.0". */
    release: string,
    cmakeOptions: Record<string, string>,
    compiler: CompilerChoice,
    /** Whether ggml's CPU backend links an OpenMP runtime (llama.cpp's default when one is found). */
    openmp: boolean,
    /** True when an earlier build with the same commit and options was reused. */
    reused: boolean
}

interface Stamp {
    commit: string,
    cmakeOptions: Record<string, string>,
    compiler: CompilerChoice
}

/**
 * The system's default compiler, as llama.cpp's own build instructions use. One exception handled here:
 * GCC 12 and older miscompile llama.cpp's AMX kernels (their `_tile_loadconfig` tells the optimiser it
 * reads 8 bytes, so the stores filling the 64-byte tile configuration are dropped and `ldtilecfg` faults:
 * SIGSEGV in ggml_backend_amx_mul_mat, seen on a Sapphire Rapids VM with GCC 12.2). On a CPU with AMX,
 * such a GCC gets gccAmxTileconfigFix.h force-included, which corrects only that intrinsic, so the
 * kernels stay those every other build runs. $CC/$CXX override the choice (e.g. clang).
 */
export function chooseCompiler(headerDir: string = path.join(root, ".cache")): CompilerChoice {
    if (process.env.CC != null && process.env.CXX != null)
        return {cc: process.env.CC, cxx: process.env.CXX, note: `${process.env.CXX} (from $CC/$CXX)`};
    const gcc = spawnSync("gcc", ["-dumpversion"], {encoding: "utf8"});
    const gccMajor = gcc.status === 0 ? Number(gcc.stdout.trim().split(".")[0]) : NaN;
    const cpuHasAmx = process.platform === "linux" &&
        /\bamx_tile\b/.test(readFileSync("/proc/cpuinfo", "utf8").split("\n").find((line) => line.startsWith("flags")) ?? "");
    if (cpuHasAmx && Number.isFinite(gccMajor) && gccMajor <= 12)
        return {
            cc: "gcc", cxx: "g++", cxxFlags: `-include ${path.join(headerDir, "gccAmxTileconfigFix.h")}`,
            note: `GCC ${gccMajor} + AMX tile-config fix`
        };
    return {note: Number.isFinite(gccMajor) ? `system default (GCC ${gccMajor})` : "system default"};
}

/** Clones (once) and builds (once per commit and option set) llama-bench; returns where the binary is. */
export async function buildLlamaBench(options: BuildLlamaBenchOptions = {}): Promise<LlamaBenchBuild> {
    const sourceDir = options.sourceDir ?? defaultLlamaBenchSourceDir;
    const bundlePath = options.bundlePath ?? path.join(llamaDir, "gitRelease.bundle");
    const buildDir = path.join(sourceDir, "build");
    const binaryPath = path.join(buildDir, "bin", "llama-bench");
    const stampPath = path.join(buildDir, "llamameter-build.json");
    const compiler = options.compiler ?? chooseCompiler();
    const cmakeOptions: Record<string, string> = {
        ...defaultLlamaBenchCmakeOptions,
        ...(compiler.cxxFlags != null ? {CMAKE_CXX_FLAGS: compiler.cxxFlags} : {}),
        ...options.cmakeOptions
    };
    const report = options.onProgress ?? (() => undefined);
    const release = await readRelease();

    if (!existsSync(bundlePath))
        throw new Error(`${bundlePath}: node-llama-cpp's llama.cpp source bundle is missing (reinstall node-llama-cpp)`);
    const commit = bundleCommit(bundlePath);

    const stamp = await readFile(stampPath, "utf8").then((text) => JSON.parse(text) as Stamp, () => null);
    const sameCompiler = stamp != null && stamp.compiler?.cc === compiler.cc && stamp.compiler?.cxx === compiler.cxx;
    if (stamp != null && stamp.commit === commit && sameCompiler && sameOptions(stamp.cmakeOptions, cmakeOptions) && existsSync(binaryPath)) {
        report({phase: "done", line: `reusing ${binaryPath}`});
        return {binaryPath, sourceDir, commit, release, cmakeOptions, compiler, openmp: linksOpenmp(buildDir), reused: true};
    }
    // cmake keeps the first compiler it found in its cache: another compiler needs a fresh build folder.
    if (stamp != null && !sameCompiler)
        await rm(buildDir, {recursive: true, force: true});

    // A clone of another commit (node-llama-cpp was updated) is replaced whole rather than patched.
    const clonedCommit = existsSync(path.join(sourceDir, ".git"))
        ? spawnSync("git", ["-C", sourceDir, "rev-parse", "HEAD"], {encoding: "utf8"}).stdout.trim()
        : null;
    if (clonedCommit !== commit) {
        await rm(sourceDir, {recursive: true, force: true});
        await mkdir(path.dirname(sourceDir), {recursive: true});
        report({phase: "clone", line: `git clone ${bundlePath} ${sourceDir}`});
        await runTool("git", ["-c", "advice.detachedHead=false", "clone", "--quiet", bundlePath, sourceDir], {
            phase: "clone", signal: options.signal, report
        });
    }

    if (compiler.cxxFlags?.includes("gccAmxTileconfigFix.h") === true) {
        const header = /-include (\S+)/.exec(compiler.cxxFlags)![1]!;
        await mkdir(path.dirname(header), {recursive: true});
        await writeFile(header, gccAmxTileconfigFixHeader);
    }
    const useNinja = spawnSync("ninja", ["--version"]).status === 0;
    const defines = Object.entries(cmakeOptions).map(([key, value]) => `-D${key}=${value}`);
    const env = {
        ...process.env,
        ...(compiler.cc != null ? {CC: compiler.cc} : {}),
        ...(compiler.cxx != null ? {CXX: compiler.cxx} : {})
    };
    await runTool("cmake", ["-S", sourceDir, "-B", buildDir, ...(useNinja ? ["-G", "Ninja"] : []), ...defines], {
        phase: "configure", signal: options.signal, report, env
    });
    const jobs = options.jobs ?? os.availableParallelism();
    await runTool("cmake", ["--build", buildDir, "--target", "llama-bench", "-j", String(jobs)], {
        phase: "build", signal: options.signal, report, env
    });
    if (!existsSync(binaryPath))
        throw new Error(`llama-bench build finished but ${binaryPath} is missing`);
    await writeFile(stampPath, JSON.stringify({commit, cmakeOptions, compiler} satisfies Stamp, null, 2));
    report({phase: "done", line: `built ${binaryPath}`});
    return {binaryPath, sourceDir, commit, release, cmakeOptions, compiler, openmp: linksOpenmp(buildDir), reused: false};
}

async function readRelease(): Promise<string> {
    const info = JSON.parse(await readFile(path.join(llamaDir, "llama.cpp.info.json"), "utf8")) as {tag?: string};
    return info.tag ?? "unknown";
}

function bundleCommit(bundlePath: string): string {
    const heads = spawnSync("git", ["bundle", "list-heads", bundlePath], {encoding: "utf8"});
    const commit = heads.stdout.trim().split(/\s+/)[0];
    if (heads.status !== 0 || commit == null || !/^[0-9a-f]{40}$/.test(commit))
        throw new Error(`${bundlePath}: cannot read the bundle's commit (${heads.stderr.trim() || "git failed"})`);
    return commit;
}

/** The CPU backend names its OpenMP runtime among its needed libraries when OpenMP was found. */
function linksOpenmp(buildDir: string): boolean {
    const library = path.join(buildDir, "bin", "libggml-cpu.so");
    if (!existsSync(library))
        return false;
    const text = readFileSync(library).toString("latin1");
    return text.includes("libgomp.so") || text.includes("libomp.so");
}

function sameOptions(a: Record<string, string>, b: Record<string, string>): boolean {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => a[key] === b[key]);
}

/** Runs a build tool, passing its step counter ("[12/138]" from ninja, "[ 45%]" from make) to the progress callback. */
function runTool(command: string, args: string[], context: {
    phase: BuildProgress["phase"],
    signal?: AbortSignal,
    report: (progress: BuildProgress) => void,
    env?: NodeJS.ProcessEnv
}): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, {signal: context.signal, env: context.env, stdio: ["ignore", "pipe", "pipe"]});
        const tail: string[] = [];
        const onData = (chunk: Buffer) => {
            for (const line of chunk.toString("utf8").split("\n")) {
                if (line.trim() === "")
                    continue;
                tail.push(line);
                if (tail.length > 20)
                    tail.shift();
                const ninja = /^\[(\d+)\/(\d+)\]/.exec(line);
                const make = /^\[\s*(\d+)%\]/.exec(line);
                if (ninja != null)
                    context.report({phase: context.phase, done: Number(ninja[1]), total: Number(ninja[2]), line});
                else if (make != null)
                    context.report({phase: context.phase, done: Number(make[1]), total: 100, line});
                else
                    context.report({phase: context.phase, line});
            }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("error", (error) => reject(error.name === "AbortError"
            ? error
            : new Error(`${command}: ${error.message} (is it installed?)`)));
        child.on("close", (code, signal) => {
            if (code === 0)
                resolve();
            else
                reject(new Error(`${command} ${args.slice(0, 2).join(" ")} failed (${signal ?? `exit ${code}`}):\n${tail.join("\n")}`));
        });
    });
}

async function main(): Promise<void> {
    const jobsIndex = process.argv.indexOf("--jobs");
    const jobs = jobsIndex >= 0 ? Number(process.argv[jobsIndex + 1]) : undefined;
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    let lastPercent = -1;
    const build = await buildLlamaBench({
        jobs,
        signal: controller.signal,
        onProgress: (progress) => {
            if (progress.done != null && progress.total != null) {
                const percent = Math.floor(progress.done / progress.total * 100);
                if (percent !== lastPercent)
                    process.stderr.write(`\r${progress.phase} ${percent}% (${progress.done}/${progress.total})   `);
                lastPercent = percent;
            } else if (progress.phase !== "configure" && progress.phase !== "build") {
                process.stderr.write(`${progress.line}\n`);
            }
        }
    });
    process.stderr.write(`\nllama.cpp ${build.release} (${build.commit.slice(0, 10)}), ${build.reused ? "reused" : "built"}; ` +
        `compiler: ${build.compiler.note}; OpenMP ${build.openmp ? "on" : "off"}\n`);
    console.log(build.binaryPath);
}

if (process.argv[1] != null && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
    await main();
