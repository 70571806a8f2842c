// The child-process entry that loads models and runs tests. Model loading is native, crash-prone work
// (a truncated mapped file raises SIGBUS, a malformed header can spin the parser): doing it here means
// a bad file ends this process, never the app or the CLI that supervises it.
import {BenchSession} from "./BenchSession.js";
import {measureTest} from "./measureTest.js";
import {WorkerTestQueue} from "./WorkerTestQueue.js";
import {oneLine} from "../oneLine.js";
import {TestMemoryMeter} from "./TestMemoryMeter.js";
import {openEnergyMeter} from "./openEnergyMeter.js";
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

async function main() {
    const session = await BenchSession.create(settings);
    const memoryMeter = new TestMemoryMeter(session, settings);
    const tests = new WorkerTestQueue({
        send,
        run: async (id, config, signal) => {
            const model = inspected.get(config.modelPath) ?? await inspectModel(config.modelPath, {llama: session.llama});
            inspected.set(config.modelPath, model);
            send({type: "model", id, model});
            const meter = await memoryMeter.begin(config);
            // read here, in the process that runs llama.cpp, around each repetition (see measureTest)
            const energy = await openEnergyMeter();
            const measurement = await measureTest(session, config, {
                signal, energy,
                onPhase: (phase, rep) => send({type: "phase", id, phase, rep})
            }).catch((error: unknown) => {
                meter.abandon();
                throw error;
            }).finally(() => energy.close());
            const {load, memory} = await meter.finish(measurement);
            return {...measurement, load, memory, energy: {source: energy.source, ...(energy.note != null ? {note: energy.note} : {})}};
        },
        shutdown: async () => {
            clearInterval(heartbeat);
            await session.dispose().finally(() => process.exit(0));
        }
    });
    // Listen before saying ready: nothing the parent sends after "ready" can be missed.
    onMessage((message) => tests.handle(message));
    send({type: "ready", env: await session.environment()});
}

main().catch((error: unknown) => {
    send({type: "fatal", error: oneLine(error)});
    clearInterval(heartbeat);
    setTimeout(() => process.exit(1), 100);
});
