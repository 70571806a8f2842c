import {getLlama, LlamaLogLevel, NoBinaryFoundError, type Llama, type LlamaModel} from "node-llama-cpp";
import os from "node:os";
import type {BenchEnvironment, DeviceKind, LoadRecord} from "../types.js";
import {nodeLlamaCppVersion} from "../llama/readLlamaInfo.js";
import {describeBinary} from "../llama/describeBinary.js";
import {describeDevice} from "../hardware/describeDevice.js";
import {buildTypeOf, llamaBinaryOptions, type BinaryChoice} from "../llama/llamaBinaryOptions.js";

/** How a user makes the local build that "local" loads: clones the llama.cpp source node-llama-cpp bundles, then compiles it. */
export const localBuildCommand = "npx --no node-llama-cpp source download --gpu false";
/** "cpu" never loads a GPU backend; "auto" lets node-llama-cpp pick CUDA / Vulkan / Metal when present. */
export type GpuChoice = "auto" | "cpu";

export interface BenchSessionOptions {
    gpu: GpuChoice,
    binary: BinaryChoice,
    /** The device the worker's environment made visible, when one was asked for (WorkerSettings.gpuDevice). */
    gpuDevice?: {name: string, kind: DeviceKind | null},
    /** A VRAM budget instead of the device's free memory, for the fit check (tests, or a user keeping VRAM free). */
    vramBudgetBytes?: number
}

const maxLogLines = 400;

/**
 * One llama.cpp runtime in this process plus the model currently loaded, so consecutive tests on the
 * same model and gpuLayers reuse the load. It keeps llama.cpp's recent log lines: node-llama-cpp's own
 * errors say only "Failed to load model", the log says why; and perf timings arrive as log lines too.
 */
export class BenchSession {
    private readonly logLines: string[] = [];
    /** How many lines were trimmed off the front: marks are absolute line numbers, so they outlive a trim. */
    private droppedLines = 0;
    private loaded: {path: string, gpuLayers: number | "max", useMmap: boolean, model: LlamaModel} | null = null;
    /** How the current model's load went, for the tests that reuse it. */
    currentLoad: LoadRecord | null = null;

    private constructor(public readonly llama: Llama, public readonly options: BenchSessionOptions) {}

    static async create(options: BenchSessionOptions): Promise<BenchSession> {
        let session: BenchSession | null = null;
        const pending: string[] = [];
        let llama: Llama;
        try {
            llama = await getLlama({
                gpu: options.gpu === "cpu" ? false : "auto",
                // Never compile or download at benchmark time: "local" means a binary the user already built.
                build: "never",
                ...llamaBinaryOptions(options.binary),
                // 0 = no cap: a context's `threads` is then exactly the number of threads used. node-llama-cpp's
                // default cap (and default threads) oversubscribes small machines badly, so we never rely on it.
                maxThreads: 0,
                logLevel: LlamaLogLevel.info,
                logger: (_level, message) => {
                    if (session == null)
                        pending.push(message);
                    else
                        session.pushLog(message);
                },
                progressLogs: false
            });
        } catch (error) {
            // node-llama-cpp's own message is just the class name; say what to do instead.
            if (options.binary === "local" && error instanceof NoBinaryFoundError)
                throw new Error(`no local llama.cpp build found: make one with \`${localBuildCommand}\` ` +
                    "(needs CMake and a C++ compiler), or use the prebuilt binary");
            throw error;
        }
        if (llama.buildType !== buildTypeOf(options.binary)) {
            await llama.dispose();
            throw new Error(`asked for the ${options.binary} llama.cpp binary but node-llama-cpp loaded its ${llama.buildType} one`);
        }
        session = new BenchSession(llama, options);
        for (const line of pending)
            session.pushLog(line);
        return session;
    }

    private pushLog(message: string) {
        for (const line of message.split("\n")) {
            if (line.trim() === "")
                continue;
            this.logLines.push(line);
        }
        if (this.logLines.length > maxLogLines) {
            const excess = this.logLines.length - maxLogLines;
            this.logLines.splice(0, excess);
            this.droppedLines += excess;
        }
    }

    /** Marks the log position; `logSince(mark)` returns what llama.cpp printed after it. */
    logMark(): number {
        return this.droppedLines + this.logLines.length;
    }

    /**
     * The lines printed after `mark`, as far as the buffer still holds them. A mark is an absolute line number:
     * a buffer-relative one came back empty once the buffer was full (every row from a worker's ~6th test on
     * lost llama.cpp's perf counters and waited out takeTimings' deadline, and load errors lost their reason).
     */
    logSince(mark: number): string[] {
        return this.logLines.slice(Math.max(0, mark - this.droppedLines));
    }

    /** The most telling error line llama.cpp logged since `mark`, for a one-line reason. */
    errorReasonSince(mark: number): string | undefined {
        const lines = this.logSince(mark);
        const error = [...lines].reverse().find((line) => /error|failed|invalid|corrupt|out of memory|exceeds/i.test(line));
        return error?.replace(/^\s*\w+:\s*/, "").trim();
    }

    get currentModel(): LlamaModel | null {
        return this.loaded?.model ?? null;
    }

    /** useMmap: whether the file is memory-mapped (default true, node-llama-cpp's own default where mmap exists). */
    isLoaded(path: string, gpuLayers: number | "max", useMmap = true): boolean {
        return this.loaded != null && this.loaded.path === path && this.loaded.gpuLayers === gpuLayers && this.loaded.useMmap === useMmap;
    }

    async loadModel(path: string, gpuLayers: number | "max", useMmap = true): Promise<LlamaModel> {
        await this.unloadModel();
        this.currentLoad = null;
        const model = await this.llama.loadModel({
            modelPath: path,
            gpuLayers: this.options.gpu === "cpu" ? 0 : gpuLayers,
            // Always said, never node-llama-cpp's "auto" (which may turn mmap off to offload more layers): the row records it.
            useMmap,
            // A benchmark must not silently shrink what it was asked to measure.
            ignoreMemorySafetyChecks: false
        });
        this.loaded = {path, gpuLayers, useMmap, model};
        return model;
    }

    async unloadModel() {
        const loaded = this.loaded;
        this.loaded = null;
        if (loaded != null && !loaded.model.disposed)
            await loaded.model.dispose();
    }

    async dispose() {
        await this.unloadModel();
        await this.llama.dispose();
    }

    async environment(): Promise<BenchEnvironment> {
        const cpus = os.cpus();
        // A GPU binary that found no device it uses (llama.cpp skips software devices unless asked) runs on
        // the CPU: the row names the device, not the backend, and says "cpu" when there is none.
        const gpu = this.llama.gpu;
        const devices = gpu === false || this.options.gpu === "cpu" ? [] : await this.llama.getGpuDeviceNames();
        const asked = this.options.gpuDevice;
        return {
            cpu: cpus[0]?.model.trim() ?? "unknown",
            physicalCores: null,
            gpu: devices.length === 0 ? "none" : devices.map((name) => describeDevice(name, asked?.name === name ? asked.kind : null, gpu as string)).join(", "),
            backend: devices.length === 0 || gpu === false ? "cpu" : gpu,
            ...(asked?.kind != null && devices.length > 0 ? {gpuKind: asked.kind} : {}),
            llamaCppRelease: this.llama.llamaCppRelease.release,
            nodeLlamaCppVersion: await nodeLlamaCppVersion(),
            binary: describeBinary(this.llama.buildType, this.llama.cmakeOptions),
            os: `${os.platform()} ${os.release()} ${os.arch()}`,
            // libuv's default when unset
            uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4)
        };
    }
}
