import {randomUUID} from "node:crypto";
import {stat} from "node:fs/promises";
import path from "node:path";
import type {BenchEnvironment, BenchEvent, HardwareProfile, ModelInfo, RepSample, SweepSpec, TestConfig, TestResult, ThreadProbe} from "../types.js";
import {sampleDecodeTps, samplePpTps, sampleTgTps} from "../export/columns.js";
import {expandSweep, loadKey, type PlannedTest} from "./expandSweep.js";
import {probeThreads} from "./probeThreads.js";
import {threadProbeKey} from "./threadProbeRuns.js";
import {physicalCoresOf} from "../hardware/physicalCoresOf.js";
import {computeStats} from "./stats.js";
import {validateGguf} from "../models/validateGguf.js";
import {ensureGguf, type GgufModelFile} from "../models/ensureGguf.js";
import {BenchWorkerClient, type WorkerSpawner, type WorkerTestOutcome} from "./BenchWorkerClient.js";
import {findLlamaBench, type FindLlamaBenchOptions, type FoundLlamaBench} from "../native/findLlamaBench.js";
import {runLlamaBenchTest} from "../native/runLlamaBench.js";
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
            const invalid = gguf == null ? (model as Error).message
                : await validateGguf(gguf.path).then(() => null, (error: unknown) => error instanceof Error ? error.message : String(error));
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
                const result = toResult({runId, index, config, outcome, environment, threadProbe, hardware: options.hardware, annotate: options.annotate, conversion: gguf?.conversion});
                if (result.status === "cancelled") {
                    emit({type: "test-end", index, result});
                    break;
                }
                if (outcome.model != null)
                    inspected.set(planned.modelPath, outcome.model);
                rows.push(result);
            }
            if (runsNative && invalid == null) {
                llamaBench ??= findLlamaBench({
                    ...options.llamaBench, signal,
                    onProgress: (build) => progress(`building llama-bench from node-llama-cpp's llama.cpp source (once, cached): ${build.phase}` +
                        (build.done != null && build.total != null ? ` ${Math.floor(build.done / build.total * 100)}%` : ""))
                });
                progress(`test ${index + 1}/${tests.length}: llama-bench, same settings`);
                const native = await nativeResult({
                    runId, index, config, llamaBench, ggufPath: gguf!.path, signal, threadProbe, conversion: gguf?.conversion,
                    model: inspected.get(planned.modelPath), hardware: options.hardware, annotate: options.annotate
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

/** One test on llama.cpp's own llama-bench: a row of the same columns, or an error row saying why not. */
async function nativeResult({runId, index, config, llamaBench, ggufPath, signal, threadProbe, model, conversion, hardware, annotate}: {
    runId: string, index: number, config: TestConfig, llamaBench: Promise<FoundLlamaBench>, ggufPath: string,
    signal?: AbortSignal, threadProbe: ThreadProbe | null, model?: ModelInfo, conversion?: GgufModelFile["conversion"],
    hardware?: HardwareProfile, annotate?: RunSweepOptions["annotate"]
}): Promise<TestResult> {
    const base = {
        id: `${runId}:${index}:native`, runId, timestamp: new Date().toISOString(), engine: "llama-bench" as const, config,
        ...(threadProbe != null ? {threadProbe} : {}),
        ...(model != null ? {model: rowModel(model, conversion)} : {})
    };
    try {
        const found = await llamaBench;
        const run = await runLlamaBenchTest(found.path, config, {modelPath: ggufPath, origin: found.origin, signal});
        const result: TestResult = {...base, status: "ok", samples: run.samples, stats: statsOf(run.samples), env: onThisMachine(run.env, hardware)};
        return annotate != null && hardware != null && model != null ? annotate(result, model, hardware) : result;
    } catch (error) {
        const cancelled = signal?.aborted ?? false;
        return {
            ...base, status: cancelled ? "cancelled" : "error", samples: [], env: {...unknownEnvironment, binary: "llama-bench"},
            error: cancelled ? "cancelled" : errorLine(config.modelPath, `native engine: ${(error as Error).message}`)
        };
    }
}

/** Puts each engine's figure in the other's row, in words: where node-llama-cpp falls short, the row says by how much. */
function compareEngines(node: TestResult, native: TestResult) {
    if (node.status !== "ok" || native.status !== "ok" || node.stats == null || native.stats == null)
        return;
    const parts: string[] = [];
    const decode = node.stats.tgDecodeTps.n > 0 ? node.stats.tgDecodeTps.mean : NaN;
    if (native.stats.tgTps.n > 0 && Number.isFinite(decode))
        parts.push(`decode ${native.stats.tgTps.mean.toFixed(1)} t/s (node-llama-cpp ${(decode / native.stats.tgTps.mean).toFixed(2)}× of it)`);
    if (native.stats.ppTps.n > 0 && node.stats.ppTps.n > 0)
        parts.push(`pp ${native.stats.ppTps.mean.toFixed(1)} t/s (node-llama-cpp ${(node.stats.ppTps.mean / native.stats.ppTps.mean).toFixed(2)}× of it)`);
    if (parts.length === 0)
        return;
    const line = `llama.cpp's own llama-bench, same settings: ${parts.join(", ")}`;
    for (const row of [node, native]) {
        if (row.ceiling?.explanation != null)
            row.ceiling.explanation = `${row.ceiling.explanation}; ${line}`;
        else
            row.notes = [...row.notes ?? [], line];
    }
}

/** Tests that share these share a probe: the fastest thread count depends on the load and the context. */
function toResult({runId, index, config, outcome, environment, threadProbe, hardware, annotate, conversion}: {
    runId: string, index: number, config: TestConfig,
    outcome: WorkerTestOutcome,
    conversion?: GgufModelFile["conversion"],
    environment: BenchEnvironment | null,
    threadProbe: ThreadProbe | null,
    hardware?: HardwareProfile,
    annotate?: RunSweepOptions["annotate"]
}): TestResult {
    const {model, measurement} = outcome;
    const env = onThisMachine(environment ?? unknownEnvironment, hardware);
    const base: TestResult = {
        id: `${runId}:${index}`,
        runId,
        timestamp: new Date().toISOString(),
        status: outcome.cancelled ? "cancelled" : measurement == null ? "error" : "ok",
        config: measurement == null ? config : {...config, contextSize: measurement.contextSize},
        env,
        samples: measurement?.samples ?? [],
        ...(threadProbe != null ? {threadProbe} : {}),
        ...(model != null ? {model: rowModel(model, conversion)} : {})
    };
    if (measurement == null)
        return {...base, error: errorLine(config.modelPath, outcome.error ?? "failed")};

    const withStats: TestResult = {
        ...base,
        load: measurement.load,
        ...(measurement.memory != null ? {memory: measurement.memory} : {}),
        stats: statsOf(measurement.samples)
    };
    const notes = measurementNotes(measurement.samples);
    if (notes.length > 0)
        withStats.notes = notes;
    return annotate != null && hardware != null && model != null ? annotate(withStats, model, hardware) : withStats;
}

/** What a row keeps of the inspected model; a converted model's row names the file the user gave, and its format. */
function rowModel(model: ModelInfo, conversion?: GgufModelFile["conversion"]): NonNullable<TestResult["model"]> {
    return {
        file: model.file, fileName: model.fileName, fileBytes: model.fileBytes, parameters: model.parameters,
        weightType: model.weightType, nLayer: model.nLayer, synthetic: model.synthetic,
        ...(conversion != null ? {file: conversion.source, fileName: path.basename(conversion.source), fileBytes: conversion.sourceBytes, convertedFrom: conversion.from} : {})
    };
}

/** An engine's environment with this machine's CPU name and physical cores from the hardware profile, where known. */
function onThisMachine(env: BenchEnvironment, hardware: HardwareProfile | undefined): BenchEnvironment {
    return {
        ...env,
        physicalCores: hardware?.cpu.physicalCores.value ?? env.physicalCores ?? null,
        ...(hardware?.cpu.brand.value != null ? {cpu: hardware.cpu.brand.value} : {})
    };
}

/** A row's statistics over its repetitions. The decode rate and the outside time need llama.cpp's counters. */
export function statsOf(samples: readonly RepSample[]): NonNullable<TestResult["stats"]> {
    const generated = samples.filter((s) => s.genTokens > 0);
    const counted = generated.filter((s) => s.outsideMs != null);
    return {
        ppTps: computeStats(samples.filter((s) => s.promptTokens > 0).map(samplePpTps)),
        tgTps: computeStats(generated.map(sampleTgTps)),
        tgDecodeTps: computeStats(counted.map(sampleDecodeTps)),
        // llama-bench does not time a first token: NaN there, left out
        ttftMs: computeStats(samples.map((s) => s.ttftMs).filter(Number.isFinite)),
        tgMsPerToken: computeStats(generated.map((s) => s.tgMs / s.genTokens)),
        outsideMsPerToken: computeStats(counted.map((s) => s.outsideMs! / s.genTokens))
    };
}

/** What a row could not measure, in plain words. */
function measurementNotes(samples: readonly RepSample[]): string[] {
    const generated = samples.filter((s) => s.genTokens > 0);
    const missing = generated.filter((s) => s.outsideMs == null).length;
    return missing === 0 ? [] : [
        `llama.cpp's perf counters were not captured in ${missing} of ${generated.length} repetitions: ` +
        "their decode rate and time outside llama.cpp are unknown (left out, not counted as 0)"
    ];
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
                progress(`test ${index + 1}/${tests}: converting ${path.basename(file)} (ggjt v3) to GGUF: ${percent}% of ${(total / 1e9).toFixed(2)} GB`);
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

/** A row's error: one line naming the file, then the reason. */
function errorLine(modelPath: string, reason: string): string {
    const line = reason.replace(/\s*\n\s*/g, "; ");
    return line.includes(modelPath) ? line : `${modelPath}: ${line}`;
}

const unknownEnvironment: BenchEnvironment = {
    cpu: "unknown", physicalCores: null, gpu: "unknown", backend: "unknown",
    llamaCppRelease: "unknown", nodeLlamaCppVersion: "unknown", binary: "unknown", os: "unknown"
};
