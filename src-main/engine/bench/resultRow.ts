// A test's outcome as a result row: the node engine's (resultRow) and the parts every row shares (its model, its
// machine, its statistics, its one-line error), so the native engine's rows (nativeResultRow) are made the same way.
import path from "node:path";
import type {BenchEnvironment, HardwareProfile, ModelInfo, RepSample, TestConfig, TestResult, ThreadProbe} from "../types.js";
import {sampleDecodeTps, samplePpTps, sampleTgTps} from "./sampleRates.js";
import {computeStats} from "./stats.js";
import {tokenLatencyOf} from "./tokenLatencyOf.js";
import {energyOf} from "./energyOf.js";
import {sweepAxisNotes} from "./sweepAxisNotes.js";
import type {WorkerTestOutcome} from "./BenchWorkerClient.js";
import type {GgufModelFile} from "../models/ensureGguf.js";
import {oneLine} from "../oneLine.js";

/** Computes a row's ceiling columns (engine/ceiling); injectable so the runner stays testable. */
export type AnnotateRow = (result: TestResult, model: ModelInfo, hardware: HardwareProfile) => TestResult;

/** The row of one test the node engine ran (or could not run). */
export function resultRow({runId, index, config, outcome, environment, threadProbe, hardware, annotate, conversion}: {
    runId: string, index: number, config: TestConfig,
    outcome: WorkerTestOutcome,
    conversion?: GgufModelFile["conversion"],
    environment: BenchEnvironment | null,
    threadProbe: ThreadProbe | null,
    hardware?: HardwareProfile,
    annotate?: AnnotateRow
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
    const tokenLatency = tokenLatencyOf(measurement.samples);
    if (tokenLatency != null)
        withStats.tokenLatency = tokenLatency;
    if (measurement.energy != null)
        withStats.energy = energyOf(measurement.samples, measurement.energy);
    const notes = [...measurementNotes(measurement.samples), ...sweepAxisNotes(config, "llamameter")];
    if (notes.length > 0)
        withStats.notes = notes;
    return annotate != null && hardware != null && model != null ? annotate(withStats, model, hardware) : withStats;
}

/** What a row keeps of the inspected model; a converted model's row names the file the user gave, and its format. */
export function rowModel(model: ModelInfo, conversion?: GgufModelFile["conversion"]): NonNullable<TestResult["model"]> {
    return {
        file: model.file, fileName: model.fileName, fileBytes: model.fileBytes, parameters: model.parameters,
        weightType: model.weightType, nLayer: model.nLayer, synthetic: model.synthetic,
        ...(conversion != null ? {file: conversion.source, fileName: path.basename(conversion.source), fileBytes: conversion.sourceBytes, convertedFrom: conversion.from} : {})
    };
}

/** An engine's environment with this machine's CPU name and physical cores from the hardware profile, where known. */
export function onThisMachine(env: BenchEnvironment, hardware: HardwareProfile | undefined): BenchEnvironment {
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

/** A row's error: one line naming the file, then the reason. */
export function errorLine(modelPath: string, reason: string): string {
    const line = oneLine(reason);
    return line.includes(modelPath) ? line : `${modelPath}: ${line}`;
}

export const unknownEnvironment: BenchEnvironment = {
    cpu: "unknown", physicalCores: null, gpu: "unknown", backend: "unknown",
    llamaCppRelease: "unknown", nodeLlamaCppVersion: "unknown", binary: {buildType: "unknown", cpuVariant: null, threadRuntime: null}, os: "unknown"
};
