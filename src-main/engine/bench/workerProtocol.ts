// Messages between the sweep runner (parent) and the bench worker (child process). Plain JSON.
import type {BenchEnvironment, DeviceKind, LlamaDevice, ModelInfo, TestConfig} from "../types.js";
import type {GpuChoice} from "./BenchSession.js";
import type {BinaryChoice} from "./llamaBinaryOptions.js";
import type {TestMeasurement, TestPhase} from "./runTest.js";

export type ToWorker =
    | {type: "run", id: number, config: TestConfig}
    | {type: "cancel"}
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
    /** The device asked for (--gpu-device): made the only one llama.cpp sees through the worker's environment. */
    gpuDevice?: Pick<LlamaDevice, "backend" | "index"> & {name: string, kind: DeviceKind | null},
    /** The VRAM the fit check allows instead of the device's free memory (BenchSessionOptions.vramBudgetBytes). */
    vramBudgetBytes?: number
}

export const workerSettingsEnv = "LLAMAMETER_WORKER_SETTINGS";
