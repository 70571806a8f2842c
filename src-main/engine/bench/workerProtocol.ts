// Messages between the sweep runner (parent) and the bench worker (child process). Plain JSON.
import type {BenchEnvironment, DeviceKind, LlamaDevice, ModelInfo, TestConfig} from "../types.js";
import type {GpuChoice} from "./BenchSession.js";
import type {BinaryChoice} from "../llama/llamaBinaryOptions.js";
import type {TestMeasurement, TestPhase} from "./measureTest.js";

export type ToWorker =
    | {type: "run", id: number, config: TestConfig}
    /** Cancels test `id`, whether it is running, queued, or its run message is still on the way. */
    | {type: "cancel", id: number}
    | {type: "shutdown"};

export type FromWorker =
    | {type: "ready", env: BenchEnvironment}
    /** Sent every second from the child's JS thread: silence means the thread is stuck (or the process is gone). */
    | {type: "heartbeat"}
    | {type: "phase", id: number, phase: TestPhase, rep?: number}
    | {type: "model", id: number, model: ModelInfo}
    | {type: "result", id: number, measurement: TestMeasurement}
    | {type: "failed", id: number, error: string, cancelled: boolean}
    | {type: "fatal", error: string};

/** How the child is configured: passed in its environment so every spawner (fork, utilityProcess) can carry it. */
export interface WorkerSettings {
    gpu: GpuChoice,
    binary: BinaryChoice,
    /** libuv's thread pool in the worker, which runs node-llama-cpp's decodes (default: benchUvThreadpoolSize). */
    uvThreadpoolSize?: number,
    /** The device asked for (--gpu-device): made the only one llama.cpp sees through the worker's environment. */
    gpuDevice?: Pick<LlamaDevice, "backend" | "index"> & {name: string, kind: DeviceKind | null},
    /** The VRAM the fit check allows instead of the device's free memory (BenchSessionOptions.vramBudgetBytes). */
    vramBudgetBytes?: number
}

/**
 * One libuv pool thread in the bench worker. node-llama-cpp runs each decode as a libuv work item, and with libuv's
 * default 4 pool threads consecutive decodes start on different threads; ggml then starts its helper threads
 * afresh from each one. The sweep runs one decode at a time, so one pool thread costs nothing. On a 2-core AMD EPYC
 * VM it moved a 116 MB model at 2 threads from 59 to 159 tokens/s and a 15 MB model from 82 to 803 (issue report);
 * on a 2-core Sapphire Rapids VM, alternating 1 and 4 in one sitting, the two were level within the noise (30m model
 * at 2 threads: decode medians 774 and 857 t/s over 5 rounds each, 220m: 119 and 112 over 4).
 */
export const benchUvThreadpoolSize = 1;

export const workerSettingsEnv = "LLAMAMETER_WORKER_SETTINGS";
