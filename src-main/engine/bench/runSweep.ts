import {randomUUID} from "node:crypto";
import path from "node:path";
import type {BenchEnvironment, BenchEvent, HardwareProfile, ModelInfo, SweepSpec, TestConfig, TestResult} from "../types.js";
import {expandSweep, loadKey} from "./expandSweep.js";
import {computeStats} from "./stats.js";
import {validateGguf} from "../models/validateGguf.js";
import {BenchWorkerClient, type WorkerSpawner, type WorkerTestOutcome} from "./BenchWorkerClient.js";
import type {GpuChoice} from "./BenchSession.js";
import type {BinaryChoice} from "./llamaBinaryOptions.js";
import type {WorkerSettings} from "./workerProtocol.js";

/** Where finished rows go, one at a time (ResultsStore implements it). */
export interface ResultSink {
    append(result: TestResult): Promise<void>
}

export interface RunSweepOptions {
    /** Cancels the sweep: the current test stops within a second; finished rows are kept. */
    signal?: AbortSignal,
    onEvent?: (event: BenchEvent) => void,
    /** Each finished test is appended here at once, so a later crash or Ctrl-C loses nothing. */
    store?: ResultSink,
    /** Adds the ceiling columns and physical cores to each row when given. */
    hardware?: HardwareProfile,
    /** Computes a row's ceiling columns (engine/ceiling); kept injectable so the runner stays testable. */
    annotate?: (result: TestResult, model: ModelInfo, hardware: HardwareProfile) => TestResult,
    /** Tags every row of this sweep; default a fresh UUID. */
    runId?: string,
    gpu?: GpuChoice,
    binary?: BinaryChoice,
    /** The one device llama.cpp may use (see chosenGpuDevice); default: the devices llama.cpp picks itself. */
    gpuDevice?: WorkerSettings["gpuDevice"],
    /** The VRAM the fit check allows (default the device's free memory). */
    vramBudgetBytes?: number,
    /** How the worker process is started (Electron passes a utilityProcess spawner). */
    spawner?: WorkerSpawner
}

/**
 * Runs a sweep: expands it into tests ordered to reload models rarely, runs each in a bench worker
 * process (one per model load, reused across that model's tests), and turns each test into a result
 * row with statistics. A failing test (bad file, crash, does not fit) becomes an "error" row and the
 * sweep goes on with a fresh worker.
 */
export async function runSweep(spec: SweepSpec, options: RunSweepOptions = {}): Promise<TestResult[]> {
    const {signal, onEvent, store} = options;
    const runId = options.runId ?? randomUUID();
    const tests = expandSweep(spec);
    const unitsPerTest = tests.map((test) => test.reps + 1); // + the warm-up
    const totalUnits = unitsPerTest.reduce((sum, units) => sum + units, 0);
    let doneUnits = 0;
    const startedAt = Date.now();
    const emit = (event: BenchEvent) => onEvent?.(event);
    const progress = (message: string) => {
        const elapsed = Date.now() - startedAt;
        emit({
            type: "progress", done: doneUnits, total: totalUnits, message,
            etaMs: doneUnits > 0 ? Math.round(elapsed / doneUnits * (totalUnits - doneUnits)) : null
        });
    };

    emit({type: "plan", tests: tests.length, totalReps: totalUnits});
    const results: TestResult[] = [];
    let worker: BenchWorkerClient | null = null;
    let workerKey: string | null = null;
    let environment: BenchEnvironment | null = null;

    try {
        for (const [index, config] of tests.entries()) {
            if (signal?.aborted)
                break;
            emit({type: "test-start", index, tests: tests.length, config});

            // The header check is bounded reads in plain JS, safe in this process: a bad file fails here
            // in milliseconds instead of costing a worker start.
            const invalid = await validateGguf(config.modelPath).then(() => null, (error: unknown) => error instanceof Error ? error.message : String(error));
            let unitsOfThisTest = 0;
            let outcome: WorkerTestOutcome = {error: invalid ?? undefined, cancelled: false};
            if (invalid == null) {
                // One worker per model load: a new model gets a fresh process, so nothing of a failed or
                // large earlier model lingers, and the tests of one model share its load.
                if (worker == null || !worker.alive || workerKey !== loadKey(config)) {
                    await worker?.shutdown();
                    worker = new BenchWorkerClient({
                        settings: {
                            gpu: options.gpu ?? "auto", binary: options.binary ?? "prebuilt",
                            ...(options.gpuDevice != null && options.gpu !== "cpu" ? {gpuDevice: options.gpuDevice} : {}),
                            ...(options.vramBudgetBytes != null ? {vramBudgetBytes: options.vramBudgetBytes} : {})
                        },
                        spawner: options.spawner
                    });
                    workerKey = loadKey(config);
                    environment = await worker.ready.catch(() => environment);
                }

                const label = `${path.basename(config.modelPath)} t=${config.threads} ngl=${config.gpuLayers} p=${config.nPrompt} n=${config.nGen}`;
                progress(`test ${index + 1}/${tests.length}: ${label}`);
                outcome = await worker.runTest(index, config, {
                    signal,
                    onPhase: (phase, rep) => {
                        emit({type: "phase", index, phase, rep, reps: config.reps});
                        // a repetition starting means the one before it (or the warm-up) finished
                        if (phase === "rep") {
                            doneUnits++;
                            unitsOfThisTest++;
                        }
                        const step = phase === "load" ? "loading model" : phase === "warmup" ? "warm-up" : `rep ${rep! + 1}/${config.reps}`;
                        progress(`test ${index + 1}/${tests.length}: ${label}: ${step}`);
                    }
                });
            }
            doneUnits += unitsPerTest[index]! - unitsOfThisTest;

            const result = toResult({runId, index, config, outcome, environment, hardware: options.hardware, annotate: options.annotate});
            if (result.status === "cancelled") {
                emit({type: "test-end", index, result});
                break;
            }
            await store?.append(result);
            results.push(result);
            emit({type: "test-end", index, result});
            progress(`test ${index + 1}/${tests.length} ${result.status === "ok" ? "done" : "failed"}`);
        }
    } finally {
        await worker?.shutdown();
    }

    emit({type: "done", results, cancelled: signal?.aborted ?? false});
    return results;
}

function toResult({runId, index, config, outcome, environment, hardware, annotate}: {
    runId: string, index: number, config: TestConfig,
    outcome: WorkerTestOutcome,
    environment: BenchEnvironment | null,
    hardware?: HardwareProfile,
    annotate?: RunSweepOptions["annotate"]
}): TestResult {
    const {model, measurement} = outcome;
    const env: BenchEnvironment = {
        ...(environment ?? unknownEnvironment),
        physicalCores: hardware?.cpu.physicalCores.value ?? environment?.physicalCores ?? null,
        ...(hardware?.cpu.brand.value != null ? {cpu: hardware.cpu.brand.value} : {})
    };
    const base: TestResult = {
        id: `${runId}:${index}`,
        runId,
        timestamp: new Date().toISOString(),
        status: outcome.cancelled ? "cancelled" : measurement == null ? "error" : "ok",
        config: measurement == null ? config : {...config, contextSize: measurement.contextSize},
        env,
        samples: measurement?.samples ?? [],
        ...(model != null ? {
            model: {
                file: model.file, fileName: model.fileName, fileBytes: model.fileBytes, parameters: model.parameters,
                weightType: model.weightType, nLayer: model.nLayer, synthetic: model.synthetic
            }
        } : {})
    };
    if (measurement == null)
        return {...base, error: errorLine(config.modelPath, outcome.error ?? "failed")};

    const samples = measurement.samples;
    const withStats: TestResult = {
        ...base,
        load: measurement.load,
        ...(measurement.memory != null ? {memory: measurement.memory} : {}),
        stats: {
            ppTps: computeStats(samples.filter((s) => s.promptTokens > 0).map((s) => s.promptTokens / (s.ppMs / 1000))),
            tgTps: computeStats(samples.filter((s) => s.genTokens > 0).map((s) => s.genTokens / (s.tgMs / 1000))),
            ttftMs: computeStats(samples.map((s) => s.ttftMs)),
            tgMsPerToken: computeStats(samples.filter((s) => s.genTokens > 0).map((s) => s.tgMs / s.genTokens)),
            sampleMsPerToken: computeStats(samples.filter((s) => s.genTokens > 0).map((s) => s.sampleMs / s.genTokens))
        }
    };
    return annotate != null && hardware != null && model != null ? annotate(withStats, model, hardware) : withStats;
}

/** A row's error: one line naming the file, then the reason. */
function errorLine(modelPath: string, reason: string): string {
    const line = reason.replace(/\s*\n\s*/g, "; ");
    return line.includes(modelPath) ? line : `${modelPath}: ${line}`;
}

const unknownEnvironment: BenchEnvironment = {
    cpu: "unknown", physicalCores: null, gpu: "unknown", backend: "unknown",
    llamaCppRelease: "unknown", nodeLlamaCppVersion: "unknown", binary: "unknown", os: "unknown"
};
