import {fork} from "node:child_process";
import path from "node:path";
import {fileURLToPath} from "node:url";
import type {BenchEnvironment, ModelInfo, TestConfig} from "../types.js";
import type {FromWorker, ToWorker, WorkerSettings} from "./workerProtocol.js";
import {benchUvThreadpoolSize, workerSettingsEnv} from "./workerProtocol.js";
import {visibleDevicesEnv} from "../hardware/listLlamaDevices.js";
import type {TestMeasurement, TestPhase} from "./measureTest.js";

/** A running child process, however it was started (Node's fork, Electron's utilityProcess). */
export interface WorkerChannel {
    send(message: ToWorker): void,
    onMessage(listener: (message: FromWorker) => void): void,
    /** Called once when the process ends; `signal` names a crash such as SIGBUS or SIGSEGV. */
    onExit(listener: (code: number | null, signal: string | null) => void): void,
    /** The child's last stderr lines (llama.cpp prints aborts there), for a crash's reason. */
    stderrTail(): string,
    kill(): void
}

export interface WorkerSpawnRequest {
    /** Absolute path of the worker entry (benchWorker.ts from source, benchWorker.js when compiled). */
    entry: string,
    /** Node flags for the child: the memory bound, and tsx when running from TypeScript source. */
    execArgv: string[],
    env: NodeJS.ProcessEnv
}

export type WorkerSpawner = (request: WorkerSpawnRequest) => WorkerChannel;

export interface BenchWorkerClientOptions {
    settings: WorkerSettings,
    spawner?: WorkerSpawner,
    /** The child's JS heap bound in MiB (node-llama-cpp's parser can grow to GBs on a malformed header). */
    maxHeapMiB?: number,
    /** Silence longer than this (no heartbeat) means the child is stuck: it is killed. */
    stallTimeoutMs?: number,
    /** A model load longer than this is given up. */
    loadTimeoutMs?: number
}

export interface WorkerTestOutcome {
    model?: ModelInfo,
    measurement?: TestMeasurement,
    error?: string,
    cancelled: boolean
}

const entryFile = fileURLToPath(new URL(`./benchWorker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Starts the bench worker with Node's child_process.fork. */
export const forkSpawner: WorkerSpawner = ({entry, execArgv, env}) => {
    const child = fork(entry, [], {execArgv, env, stdio: ["ignore", "ignore", "pipe", "ipc"], serialization: "json"});
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-4000);
    });
    return {
        send: (message) => {
            if (child.connected)
                child.send(message);
        },
        onMessage: (listener) => child.on("message", (message) => listener(message as FromWorker)),
        onExit: (listener) => child.once("exit", (code, signal) => listener(code, signal)),
        stderrTail: () => stderr,
        kill: () => child.kill("SIGKILL")
    };
};

/**
 * The parent side of one bench worker process: runs tests in it one at a time and turns every way
 * the child can fail (crash signal, stuck thread, slow load, cancel) into a one-line reason, so the
 * caller can record the failure and go on with a new worker.
 */
export class BenchWorkerClient {
    private channel: WorkerChannel;
    private exited: {code: number | null, signal: string | null} | null = null;
    private lastHeard = Date.now();
    private readonly listeners = new Set<(message: FromWorker | {type: "exit"}) => void>();
    readonly ready: Promise<BenchEnvironment>;

    constructor(private readonly options: BenchWorkerClientOptions) {
        const fromSource = entryFile.endsWith(".ts");
        this.channel = (options.spawner ?? forkSpawner)({
            entry: entryFile,
            execArgv: [
                `--max-old-space-size=${options.maxHeapMiB ?? 1536}`,
                // Resolved here: a bare "tsx" would be looked up from the current directory.
                ...(fromSource ? ["--import", import.meta.resolve("tsx")] : [])
            ],
            env: {
                ...process.env,
                ...(options.settings.gpuDevice != null ? visibleDevicesEnv(options.settings.gpuDevice) : {}),
                [workerSettingsEnv]: JSON.stringify(options.settings),
                // libuv reads it when its pool first starts, so it must be in the child's environment at spawn.
                UV_THREADPOOL_SIZE: String(options.settings.uvThreadpoolSize ?? benchUvThreadpoolSize)
            }
        });
        this.channel.onMessage((message) => {
            this.lastHeard = Date.now();
            for (const listener of this.listeners)
                listener(message);
        });
        this.channel.onExit((code, signal) => {
            this.exited = {code, signal};
            for (const listener of this.listeners)
                listener({type: "exit"});
        });
        this.ready = new Promise((resolve, reject) => {
            const listener = (message: FromWorker | {type: "exit"}) => {
                if (message.type === "ready") {
                    this.listeners.delete(listener);
                    resolve(message.env);
                } else if (message.type === "fatal" || message.type === "exit") {
                    this.listeners.delete(listener);
                    reject(new Error(message.type === "fatal" ? message.error : this.exitReason()));
                }
            };
            this.listeners.add(listener);
        });
        this.ready.catch(() => {}); // observed by callers through runTest
    }

    get alive(): boolean {
        return this.exited == null;
    }

    async runTest(id: number, config: TestConfig, options: {
        signal?: AbortSignal,
        onPhase?: (phase: TestPhase, rep?: number) => void
    } = {}): Promise<WorkerTestOutcome> {
        try {
            await this.ready;
        } catch (error) {
            return {error: `bench worker could not start: ${(error as Error).message}`, cancelled: false};
        }
        if (!this.alive)
            return {error: this.exitReason(), cancelled: false};
        // Cancelled while the worker started: the test never begins.
        if (options.signal?.aborted)
            return {error: "cancelled", cancelled: true};

        const stallTimeoutMs = this.options.stallTimeoutMs ?? 20_000;
        const loadTimeoutMs = this.options.loadTimeoutMs ?? 10 * 60_000;
        return await new Promise<WorkerTestOutcome>((resolve) => {
            let model: ModelInfo | undefined;
            let phaseStart = Date.now();
            let phase: TestPhase | "inspect" = "inspect";
            let cancelTimer: NodeJS.Timeout | undefined;

            const finish = (outcome: WorkerTestOutcome) => {
                clearInterval(watchdog);
                clearTimeout(cancelTimer);
                options.signal?.removeEventListener("abort", onAbort);
                this.listeners.delete(listener);
                resolve(outcome);
            };
            const giveUp = (reason: string, cancelled = false) => {
                this.kill();
                finish({model, error: reason, cancelled});
            };
            const onAbort = () => {
                this.channel.send({type: "cancel", id});
                // The child stops between tokens; a long native call (a big prompt batch) may not: kill it.
                cancelTimer = setTimeout(() => giveUp("cancelled", true), 1000);
            };
            const listener = (message: FromWorker | {type: "exit"}) => {
                if (message.type === "exit")
                    finish({model, error: this.exitReason(), cancelled: options.signal?.aborted ?? false});
                else if (message.type === "fatal")
                    giveUp(message.error);
                else if ("id" in message && message.id === id) {
                    if (message.type === "model")
                        model = message.model;
                    else if (message.type === "phase") {
                        phase = message.phase;
                        phaseStart = Date.now();
                        options.onPhase?.(message.phase, message.rep);
                    } else if (message.type === "result") {
                        // Finished after the cancel was answered: not a result the user asked to keep.
                        if (options.signal?.aborted)
                            finish({model, error: "cancelled", cancelled: true});
                        else
                            finish({model, measurement: message.measurement, cancelled: false});
                    } else if (message.type === "failed")
                        finish({model, error: message.cancelled ? "cancelled" : message.error, cancelled: message.cancelled});
                }
            };
            const watchdog = setInterval(() => {
                if (Date.now() - this.lastHeard > stallTimeoutMs)
                    giveUp(`bench worker stopped responding for ${Math.round(stallTimeoutMs / 1000)} s (stuck reading the model?) and was stopped`);
                else if ((phase === "load" || phase === "inspect") && Date.now() - phaseStart > loadTimeoutMs)
                    giveUp(`model load took longer than ${Math.round(loadTimeoutMs / 1000)} s and was stopped`);
            }, 250);

            this.listeners.add(listener);
            options.signal?.addEventListener("abort", onAbort, {once: true});
            this.channel.send({type: "run", id, config});
        });
    }

    /** Asks the child to unload and exit; kills it if it does not within a few seconds. */
    async shutdown(): Promise<void> {
        if (!this.alive)
            return;
        const exited = new Promise<void>((resolve) => this.listeners.add((message) => {
            if (message.type === "exit")
                resolve();
        }));
        this.channel.send({type: "shutdown"});
        const timer = setTimeout(() => this.kill(), 5000);
        await exited;
        clearTimeout(timer);
    }

    kill() {
        if (this.alive)
            this.channel.kill();
    }

    private exitReason(): string {
        const {code, signal} = this.exited ?? {code: null, signal: null};
        const tail = lastMeaningfulLine(this.channel.stderrTail());
        if (signal === "SIGBUS")
            return "bench worker crashed (SIGBUS): the model file was truncated or changed while mapped" + (tail ? `; ${tail}` : "");
        if (signal != null)
            return `bench worker crashed (${signal})` + (tail ? `: ${tail}` : "");
        return `bench worker exited with code ${code}` + (tail ? `: ${tail}` : "");
    }
}

function lastMeaningfulLine(text: string): string {
    const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
    return lines.reverse().find((line) => /error|abort|assert|fatal|heap|memory/i.test(line)) ?? lines[0] ?? "";
}
