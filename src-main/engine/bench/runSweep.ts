import {randomUUID} from "node:crypto";
import {stat} from "node:fs/promises";
import path from "node:path";
import type {BenchEnvironment, BenchEvent, HardwareProfile, ModelInfo, SweepSpec, TestConfig, TestResult, ThreadProbe} from "../types.js";
import {expandSweep, loadKey} from "./expandSweep.js";
import {probeThreads} from "./probeThreads.js";
import {threadProbeKey} from "./threadProbeRuns.js";
import {formatBytes} from "../formatBytes.js";
import {physicalCoresOf} from "../hardware/physicalCoresOf.js";
import {validateGguf} from "../models/validateGguf.js";
import {ensureGguf, type GgufModelFile} from "../models/ensureGguf.js";
import {BenchWorkerClient, type WorkerSpawner, type WorkerTestOutcome} from "./BenchWorkerClient.js";
import {findLlamaBench, type FindLlamaBenchOptions, type FoundLlamaBench} from "../native/findLlamaBench.js";
import {fallsShortOfNative} from "../ceiling/ceiling.js";
import {compareEngines, nativeResultRow} from "../native/nativeResultRow.js";
import {resultRow, type AnnotateRow} from "./resultRow.js";
import {kvCacheTypeProblem} from "./kvCacheTypeProblem.js";
import type {GpuChoice} from "./BenchSession.js";
import type {BinaryChoice} from "../llama/llamaBinaryOptions.js";
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
    annotate?: AnnotateRow,
    /** Tags every row of this sweep; default a fresh UUID. */
    runId?: string,
    gpu?: GpuChoice,
    binary?: BinaryChoice,
    /** libuv pool threads in the bench worker (default benchUvThreadpoolSize); for A/B measurements. */
    uvThreadpoolSize?: number,
    /** The one device llama.cpp may use (see chosenGpuDevice); default: the devices llama.cpp picks itself. */
    gpuDevice?: WorkerSettings["gpuDevice"],
    /** The VRAM the fit check allows (default the device's free memory). */
    vramBudgetBytes?: number,
    /** How the worker process is started (Electron passes a utilityProcess spawner). */
    spawner?: WorkerSpawner,
    /** Where legacy GGML (ggjt v3) models are converted to GGUF; default: "converted/" beside the default results. */
    convertedDir?: string,
    /** Grouped-query attention factor for ggjt files (8 for LLaMA-2 70B), checked against the file. */
    gqa?: number,
    /** Where the native engine's llama-bench comes from (spec.engines with "native"). */
    llamaBench?: FindLlamaBenchOptions
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
    const engines = spec.engines ?? ["llamameter"];
    const runsNode = engines.includes("llamameter");
    const runsNative = engines.includes("llama-bench");
    // llama-bench beside the node rows that fall short of it (fallsShortOfNative): only with a binary at hand, never built.
    const besideWhereShort = spec.nativeWhereShort === true && runsNode && !runsNative;
    // the llama-bench found, or why a given --llama-bench cannot serve (said on each short row), or null: none at hand
    let besideBench: Promise<FoundLlamaBench | string | null> | null = null;
    // + the warm-up, on each engine
    const unitsPerTest = tests.map((test) => (test.reps + 1) * engines.length);
    const totalUnits = unitsPerTest.reduce((sum, units) => sum + units, 0);
    let doneUnits = 0;
    let startedAt = Date.now();
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
    // "auto" threads: one probe per model load and context setting, shared by the tests that asked for it.
    const probes = new Map<string, ThreadProbe | null>();
    const physicalCores = physicalCoresOf(options.hardware);
    let probeRunId = tests.length;
    // each model file once per sweep: a legacy file converts (or is found in the cache) before its first test
    const prepared = new Map<string, GgufModelFile | Error>();
    // the node worker's inspection of each model, for the native rows' ceiling
    const inspected = new Map<string, ModelInfo>();
    let llamaBench: Promise<FoundLlamaBench> | null = null;

    try {
        for (const [index, planned] of tests.entries()) {
            if (signal?.aborted)
                break;

            // Conversion and the header check are plain-JS file work, safe in this process: a bad file fails
            // here in milliseconds instead of costing a worker start.
            let model = prepared.get(planned.modelPath);
            if (model == null) {
                const conversionStart = Date.now();
                model = await prepareModel(planned.modelPath, index, tests.length, options, progress, emit);
                prepared.set(planned.modelPath, model);
                startedAt += Date.now() - conversionStart; // the ETA is for the tests, not the conversion
            }
            if (signal?.aborted)
                break;
            const gguf = model instanceof Error ? null : model;
            const invalid = (gguf == null ? (model as Error).message
                : await validateGguf(gguf.path).then(() => null, (error: unknown) => error instanceof Error ? error.message : String(error)))
                ?? kvCacheTypeProblem(planned);
            let unitsOfThisTest = 0;
            let outcome: WorkerTestOutcome = {error: invalid ?? undefined, cancelled: false};
            let config: TestConfig = {...planned, threads: planned.threads === "auto" ? physicalCores : planned.threads};
            let threadProbe: ThreadProbe | null = null;
            if (invalid == null && runsNode) {
                // One worker per model load: a new model gets a fresh process, so nothing of a failed or
                // large earlier model lingers, and the tests of one model share its load.
                if (worker == null || !worker.alive || workerKey !== loadKey(config)) {
                    await worker?.shutdown();
                    worker = new BenchWorkerClient({
                        settings: {
                            gpu: options.gpu ?? "auto", binary: options.binary ?? "prebuilt",
                            ...(options.uvThreadpoolSize != null ? {uvThreadpoolSize: options.uvThreadpoolSize} : {}),
                            ...(options.gpuDevice != null && options.gpu !== "cpu" ? {gpuDevice: options.gpuDevice} : {}),
                            ...(options.vramBudgetBytes != null ? {vramBudgetBytes: options.vramBudgetBytes} : {})
                        },
                        spawner: options.spawner
                    });
                    workerKey = loadKey(config);
                    environment = await worker.ready.catch(() => environment);
                }

                if (planned.threads === "auto") {
                    const key = threadProbeKey(planned);
                    if (!probes.has(key)) {
                        const probeWorker = worker;
                        probes.set(key, await probeThreads({
                            config: {...planned, modelPath: gguf!.path}, physicalCores, signal,
                            run: (probeConfig) => probeWorker.runTest(probeRunId++, probeConfig, {signal}),
                            onProgress: (message) => progress(`test ${index + 1}/${tests.length}: ${path.basename(planned.modelPath)}: ${message}`)
                        }));
                    }
                    threadProbe = probes.get(key) ?? null;
                    if (threadProbe != null)
                        config = {...config, threads: threadProbe.chosen};
                }
                emit({type: "test-start", index, tests: tests.length, config});

                const label = `${path.basename(config.modelPath)} t=${config.threads} ngl=${config.gpuLayers} p=${config.nPrompt} n=${config.nGen}`;
                progress(`test ${index + 1}/${tests.length}: ${label}`);
                // A cancel during the worker's start-up is answered "cancelled" here, without running the test.
                outcome = await worker.runTest(index, {...config, modelPath: gguf!.path}, {
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
            } else {
                emit({type: "test-start", index, tests: tests.length, config});
            }
            doneUnits += unitsPerTest[index]! - unitsOfThisTest;

            const rows: TestResult[] = [];
            if (runsNode || invalid != null) {
                const result = resultRow({runId, index, config, outcome, environment, threadProbe, hardware: options.hardware, annotate: options.annotate, conversion: gguf?.conversion});
                if (result.status === "cancelled") {
                    emit({type: "test-end", index, result});
                    break;
                }
                if (outcome.model != null)
                    inspected.set(planned.modelPath, outcome.model);
                rows.push(result);
            }
            // llama-bench's row: for every test with engines including it, or (auto) beside a node row that falls short
            // of it, with a binary at hand.
            let nativeFrom: Promise<FoundLlamaBench> | null = null;
            if (runsNative && invalid == null) {
                llamaBench ??= findLlamaBench({
                    ...options.llamaBench, signal,
                    onProgress: (build) => progress(`building llama-bench from node-llama-cpp's llama.cpp source (once, cached): ${build.phase}` +
                        (build.done != null && build.total != null ? ` ${Math.floor(build.done / build.total * 100)}%` : ""))
                });
                nativeFrom = llamaBench;
                progress(`test ${index + 1}/${tests.length}: llama-bench, same settings`);
            } else if (besideWhereShort && invalid == null && rows[0]?.status === "ok" && fallsShortOfNative(rows[0])) {
                // None at hand is the common case and says nothing; a --llama-bench that does not work is said on the row.
                besideBench ??= findLlamaBench({...options.llamaBench, build: false, signal}).catch((error: unknown) =>
                    options.llamaBench?.explicitPath != null ? `no llama-bench beside it: ${error instanceof Error ? error.message : String(error)}` : null);
                const found = await besideBench;
                if (typeof found === "string")
                    rows[0] = {...rows[0], notes: [...rows[0].notes ?? [], found]};
                else if (found != null) {
                    nativeFrom = Promise.resolve(found);
                    progress(`test ${index + 1}/${tests.length}: llama-bench beside it (LlamaMeter's row falls short of llama.cpp's own)`);
                }
            }
            if (nativeFrom != null) {
                const native = await nativeResultRow({
                    runId, index, config, llamaBench: nativeFrom, ggufPath: gguf!.path, signal, threadProbe, conversion: gguf?.conversion,
                    model: inspected.get(planned.modelPath), hardware: options.hardware, annotate: options.annotate,
                    // the same CPU kernels as the node row, so the two differ only in what drives them
                    kernelsFrom: rows[0]?.env.binary.cpuLibrary ?? environment?.binary.cpuLibrary ?? null
                });
                if (native.status === "cancelled") {
                    emit({type: "test-end", index, result: native});
                    break;
                }
                if (rows[0] != null)
                    compareEngines(rows[0], native);
                rows.push(native);
            }
            // Both rows are kept together: the node row carries the comparison with the native one.
            for (const result of rows) {
                await store?.append(result);
                results.push(result);
                emit({type: "test-end", index, result});
            }
            progress(`test ${index + 1}/${tests.length} ${rows.every((row) => row.status === "ok") ? "done" : "failed"}`);
        }
    } finally {
        await worker?.shutdown();
    }

    emit({type: "done", results, cancelled: signal?.aborted ?? false});
    return results;
}

/**
 * The GGUF to run for a model file: itself, or its conversion from ggjt v3 (made now, with progress, or
 * found in the cache); an Error (one line, naming the file) when the file cannot be used.
 */
async function prepareModel(file: string, index: number, tests: number, options: RunSweepOptions,
    progress: (message: string) => void, emit: (event: BenchEvent) => void): Promise<GgufModelFile | Error> {
    let lastPercent = -1;
    try {
        const model = await ensureGguf(file, {
            ...(options.convertedDir != null ? {cacheDir: options.convertedDir} : {}),
            ...(options.gqa != null ? {gqa: options.gqa} : {}),
            signal: options.signal,
            onProgress: (written, total) => {
                const percent = Math.floor(written / total * 100);
                if (percent === lastPercent)
                    return;
                lastPercent = percent;
                progress(`test ${index + 1}/${tests}: converting ${path.basename(file)} (ggjt v3) to GGUF: ${percent}% of ${formatBytes(total)}`);
            }
        });
        if (model.conversion != null) {
            const {size} = await stat(model.path);
            emit({type: "converted", file, gguf: model.path, from: model.conversion.from, ms: model.conversion.ms, cached: model.conversion.cached, bytes: size});
        }
        return model;
    } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
    }
}
