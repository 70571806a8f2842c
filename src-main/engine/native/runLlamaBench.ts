// Runs llama.cpp's own llama-bench for one LlamaMeter test, with the same settings, and reads its JSON into the
// same per-repetition samples LlamaMeter records, so its figures sit in the same rows and columns. Users of Ollama,
// LM Studio and llama-server run llama.cpp itself: where node-llama-cpp cannot reach it, this shows what can.
import {execFile} from "node:child_process";
import {sameKernelsLibDir, withLibraryDir} from "./sameKernelsLibDir.js";
import {cpuVariantOf} from "../llama/describeBinary.js";
import os from "node:os";
import path from "node:path";
import {promisify} from "node:util";
import type {BenchEnvironment, RepSample, TestConfig} from "../types.js";
import {startBackgroundLoad, startStealMeter} from "../bench/backgroundLoad.js";

const run = promisify(execFile);

/** What llama-bench prints per test with `-o json` (the fields LlamaMeter reads). */
export interface LlamaBenchRow {
    build_commit: string,
    build_number: number,
    cpu_info: string,
    gpu_info: string,
    backends: string,
    model_size: number,
    model_n_params: number,
    n_batch: number,
    n_ubatch: number,
    n_threads: number,
    n_gpu_layers: number,
    flash_attn: number | boolean,
    n_prompt: number,
    n_gen: number,
    n_depth: number,
    type_k?: string,
    type_v?: string,
    samples_ns: number[],
    samples_ts: number[]
}

/** How a llama-bench binary takes the mmap setting: `-lm, --load-mode none|mmap` (recent releases, including the one
 *  node-llama-cpp 3.22.1 ships) or the older `-mmp, --mmap 0|1`. */
export type LlamaBenchMmapFlag = "load-mode" | "mmp";

/**
 * llama-bench's arguments for one phase of a test. Prompt processing: P tokens at depth D (-p P -n 0 -d D).
 * Generation: N tokens one at a time after D + P tokens already in the cache (-p 0 -n N -d D+P), as LlamaMeter
 * measures it. Micro-batch -ub: the test's (default: the batch, as node-llama-cpp sets n_ubatch = n_batch). KV types
 * -ctk / -ctv and the mmap setting are passed only when the test sets them (llama-bench's defaults are f16 and mmap).
 * llama-bench sizes its own context (D + P, or D + P + N) and keeps its defaults for what LlamaMeter does not set
 * (its persistent thread pool, --poll 50, no CPU mask).
 */
export function llamaBenchArgs(config: TestConfig, modelPath: string, phase: "pp" | "tg", mmapFlag: LlamaBenchMmapFlag = "load-mode"): string[] {
    const depth = config.nDepth ?? 0;
    return [
        "-m", modelPath, "-t", String(config.threads), "-r", String(config.reps),
        "-b", String(config.batchSize), "-ub", String(config.ubatchSize ?? config.batchSize),
        "-ngl", config.gpuLayers === "max" ? "999" : String(config.gpuLayers),
        "-fa", config.flashAttention ? "1" : "0",
        ...(config.typeK != null ? ["-ctk", config.typeK] : []),
        ...(config.typeV != null ? ["-ctv", config.typeV] : []),
        ...(config.useMmap == null ? [] : mmapFlag === "load-mode" ? ["-lm", config.useMmap ? "mmap" : "none"] : ["-mmp", config.useMmap ? "1" : "0"]),
        ...(phase === "pp"
            ? ["-p", String(config.nPrompt), "-n", "0", ...(depth > 0 ? ["-d", String(depth)] : [])]
            : ["-p", "0", "-n", String(config.nGen), "-d", String(depth + config.nPrompt)]),
        "-o", "json"
    ];
}

/** Which mmap flag a llama-bench binary takes, from its --help text. */
export function llamaBenchMmapFlag(helpText: string): LlamaBenchMmapFlag {
    return /--load-mode\b/.test(helpText) ? "load-mode" : "mmp";
}

/** Each binary's --help, asked once: the mmap flag changed between llama.cpp releases. */
const mmapFlags = new Map<string, Promise<LlamaBenchMmapFlag>>();

function mmapFlagOf(binaryPath: string): Promise<LlamaBenchMmapFlag> {
    let flag = mmapFlags.get(binaryPath);
    if (flag == null) {
        // llama-bench prints its usage and exits 0 for --help; an older one may exit non-zero after printing it.
        flag = run(binaryPath, ["--help"], {maxBuffer: 1024 * 1024}).then(
            ({stdout, stderr}) => llamaBenchMmapFlag(stdout + stderr),
            (error: unknown) => llamaBenchMmapFlag(`${(error as {stdout?: string}).stdout ?? ""}${(error as {stderr?: string}).stderr ?? ""}`)
        );
        mmapFlags.set(binaryPath, flag);
    }
    return flag;
}

/** The rows of llama-bench's `-o json` output; throws a one-line error on anything else. */
export function parseLlamaBenchJson(text: string): LlamaBenchRow[] {
    let rows: unknown;
    try {
        rows = JSON.parse(text);
    } catch {
        throw new Error(`llama-bench printed no JSON (${text.trim().split("\n")[0]?.slice(0, 120) ?? "nothing"})`);
    }
    if (!Array.isArray(rows) || rows.some((row) => typeof row !== "object" || row == null || !Array.isArray((row as LlamaBenchRow).samples_ns)))
        throw new Error("llama-bench's JSON is not a list of tests with samples_ns");
    return rows as LlamaBenchRow[];
}

/**
 * One sample per repetition, pairing llama-bench's i-th prompt run with its i-th generation run. llama-bench times
 * its decodes alone (no sampling): its generation time is llama.cpp's decode time, so nothing is outside it. It
 * does not time a first token after a prompt, so the time to first token is unknown (NaN), never derived.
 */
export function samplesFromLlamaBench(config: TestConfig, pp: LlamaBenchRow | undefined, tg: LlamaBenchRow | undefined): RepSample[] {
    const count = Math.max(pp?.samples_ns.length ?? 0, tg?.samples_ns.length ?? 0);
    return Array.from({length: count}, (_, i) => {
        const tgMs = tg != null ? tg.samples_ns[i]! / 1e6 : 0;
        return {
            promptTokens: pp != null ? config.nPrompt : 0,
            ppMs: pp != null ? pp.samples_ns[i]! / 1e6 : 0,
            ttftMs: Number.NaN,
            genTokens: tg != null ? config.nGen : 0,
            tgMs,
            ...(tg != null ? {outsideMs: 0} : {})
        };
    });
}

export interface LlamaBenchRun {
    samples: RepSample[],
    env: BenchEnvironment
}

/** Runs one test through llama-bench (the prompt phase, then the generation phase). */
export async function runLlamaBenchTest(binaryPath: string, config: TestConfig, options: {
    /** The GGUF file to run (a converted copy for a legacy file). */
    modelPath?: string,
    /** How the binary was found, for the row's binary column, e.g. "PATH" or "built from node-llama-cpp's source". */
    origin: string,
    /** node-llama-cpp's CPU kernel library (BinaryInfo.cpuLibrary) to run llama-bench over, for a llama-bench built
     *  from the same llama.cpp source (sameKernelsLibDir); its own libraries when absent or when that fails. */
    kernelsFrom?: string,
    signal?: AbortSignal
}): Promise<LlamaBenchRun> {
    const modelPath = options.modelPath ?? config.modelPath;
    const mmapFlag = config.useMmap != null ? await mmapFlagOf(binaryPath) : undefined;
    let libDir = options.kernelsFrom != null ? await sameKernelsLibDir(options.kernelsFrom).catch(() => null) : null;
    let kernelsNote: string | null = options.kernelsFrom != null && libDir == null ? "node-llama-cpp's CPU kernels could not be linked in" : null;
    const phase = async (which: "pp" | "tg") => {
        try {
            const {stdout} = await run(binaryPath, llamaBenchArgs(config, modelPath, which, mmapFlag),
                {maxBuffer: 16 * 1024 * 1024, signal: options.signal, env: withLibraryDir(libDir)});
            return parseLlamaBenchJson(stdout)[0];
        } catch (error) {
            if (libDir != null && !(options.signal?.aborted ?? false))
                throw new KernelsFailed();
            const text = error instanceof Error ? (error as Error & {stderr?: string}).stderr || error.message : String(error);
            const line = text.split("\n").map((l) => l.trim()).filter((l) => /error|failed|invalid|unknown/i.test(l)).pop() ?? text.split("\n")[0]!;
            throw new Error(`llama-bench failed: ${line.trim()}`);
        }
    };
    // Other processes' load during llama-bench's run, as the node engine records per repetition (llama-bench's
    // own CPU time counts as ours once it has been waited for).
    const readBackground = startBackgroundLoad();
    const readSteal = startStealMeter();
    const both = async () => ({pp: config.nPrompt > 0 ? await phase("pp") : undefined, tg: config.nGen > 0 ? await phase("tg") : undefined});
    const {pp, tg} = await both().catch(async (error: unknown) => {
        if (!(error instanceof KernelsFailed))
            throw error;
        // the linked-in libraries did not load or run: both phases again over llama-bench's own, said in the row
        kernelsNote = "node-llama-cpp's CPU kernels failed to run under llama-bench, so its own ran";
        libDir = null;
        return both();
    });
    const backgroundCores = readBackground();
    const stealCores = readSteal();
    const info = pp ?? tg;
    return {
        samples: samplesFromLlamaBench(config, pp, tg).map((sample) => ({
            ...sample,
            ...(backgroundCores != null ? {backgroundCores} : {}),
            ...(stealCores != null ? {stealCores} : {})
        })),
        env: {
            cpu: info?.cpu_info ?? "unknown",
            physicalCores: null,
            gpu: info?.gpu_info != null && info.gpu_info !== "" ? info.gpu_info : "none",
            backend: info?.backends.toLowerCase() ?? "unknown",
            llamaCppRelease: info != null ? `${info.build_commit} (build ${info.build_number})` : "unknown",
            nodeLlamaCppVersion: "",
            // llama-bench attaches its own thread pool (poll 50); whether OpenMP runs it depends on the build
            binary: {
                buildType: "llama-bench", cpuVariant: libDir != null ? cpuVariantOf(options.kernelsFrom!) : null, threadRuntime: null,
                origin: `${options.origin}: ${path.basename(binaryPath)}; ` +
                    (libDir != null ? `ggml CPU kernels: node-llama-cpp's ${path.basename(options.kernelsFrom!)}; ` : kernelsNote != null ? `${kernelsNote}; ` : "") +
                    "its own thread pool, poll 50"
            },
            os: `${os.platform()} ${os.release()} ${os.arch()}`
        }
    };
}

class KernelsFailed extends Error {}
