// The child-process entry that loads models and runs tests. Model loading is native, crash-prone work
// (a truncated mapped file raises SIGBUS, a malformed header can spin the parser): doing it here means
// a bad file ends this process, never the app or the CLI that supervises it.
import {BenchSession} from "./BenchSession.js";
import {runTest} from "./runTest.js";
import {TestMemoryMeter} from "./TestMemoryMeter.js";
import {inspectModel} from "../models/inspectModel.js";
import type {FromWorker, ToWorker, WorkerSettings} from "./workerProtocol.js";
import {workerSettingsEnv} from "./workerProtocol.js";
import type {ModelInfo} from "../types.js";

interface ParentPort {
    postMessage(message: unknown): void,
    on(event: "message", listener: (event: {data: unknown}) => void): void
}

// Electron's utilityProcess gives process.parentPort; child_process.fork gives process.send.
const parentPort = (process as unknown as {parentPort?: ParentPort}).parentPort;

function send(message: FromWorker) {
    if (parentPort != null)
        parentPort.postMessage(message);
    else
        process.send?.(message);
}

function onMessage(listener: (message: ToWorker) => void) {
    if (parentPort != null)
        parentPort.on("message", (event) => listener(event.data as ToWorker));
    else
        process.on("message", (message) => listener(message as ToWorker));
}

const settings: WorkerSettings = {gpu: "auto", binary: "prebuilt", ...JSON.parse(process.env[workerSettingsEnv] ?? "{}") as Partial<WorkerSettings>};
const heartbeat = setInterval(() => send({type: "heartbeat"}), 1000);
const inspected = new Map<string, ModelInfo>();
let current: AbortController | null = null;
let queue = Promise.resolve();

async function main() {
    const session = await BenchSession.create(settings);
    send({type: "ready", env: await session.environment()});
    const memoryMeter = new TestMemoryMeter(session, settings);

    onMessage((message) => {
        if (message.type === "cancel") {
            current?.abort();
            return;
        }
        if (message.type === "shutdown") {
            clearInterval(heartbeat);
            queue = queue.then(() => session.dispose()).finally(() => process.exit(0));
            return;
        }
        // Tests run one at a time, in the order sent.
        queue = queue.then(async () => {
            const {id, config} = message;
            const controller = new AbortController();
            current = controller;
            try {
                const model = inspected.get(config.modelPath) ?? await inspectModel(config.modelPath, {llama: session.llama});
                inspected.set(config.modelPath, model);
                send({type: "model", id, model});
                const meter = await memoryMeter.begin(config);
                const measurement = await runTest(session, config, {
                    signal: controller.signal,
                    onPhase: (phase, rep) => send({type: "phase", id, phase, rep})
                }).catch((error: unknown) => {
                    meter.abandon();
                    throw error;
                });
                const {load, memory} = await meter.finish(measurement);
                send({type: "result", id, measurement: {...measurement, load, memory}});
            } catch (error) {
                const cancelled = controller.signal.aborted;
                send({type: "failed", id, error: oneLine(error), cancelled});
            } finally {
                current = null;
            }
        });
    });
}

function oneLine(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    return text.split("\n").map((line) => line.trim()).filter((line) => line !== "").join("; ");
}

main().catch((error: unknown) => {
    send({type: "fatal", error: oneLine(error)});
    clearInterval(heartbeat);
    setTimeout(() => process.exit(1), 100);
});
