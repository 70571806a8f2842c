// The engine functions the API handlers call, gathered behind one interface so the handlers' unit tests
// can replace them (no model loading, no hardware probing) while the product path uses the real ones.
import fs from "node:fs/promises";
import type {FitVerdict, PredictRequest, PredictResult, ReferenceMachineRow} from "./contract.js";
import type {HardwareProfile, ModelInfo, ModelShape, SweepSpec, TestResult, WeightType} from "../engine/types.js";
import {clearHardwareProfileCache, getHardwareProfile} from "../engine/hardware/detectHardware.js";
import {DEFAULT_MODEL_FILE, defaultModelDirs, discoverModels, ensureDefaultModel} from "../engine/models/discoverModels.js";
import type {DiscoverModelsOptions, DiscoveredModel, EnsureDefaultModelOptions, ModelDir} from "../engine/models/discoverModels.js";
import {inspectModel} from "../engine/models/inspectModel.js";
import {resolveShape} from "../engine/models/shapePresets.js";
import {writeSyntheticGguf, type WriteSyntheticGgufOptions} from "../engine/models/writeSyntheticGguf.js";
import {planSyntheticTensors} from "../engine/models/planSyntheticTensors.js";
import {defaultPlan, type DefaultPlanMachine} from "../engine/bench/defaultPlan.js";
import {planMachine, type PlanMachineOptions} from "../engine/bench/planMachine.js";
import {runSweep, type ResultSink, type RunSweepOptions} from "../engine/bench/runSweep.js";
import {estimateSweep, type EstimateSweepOptions, type SweepEstimate} from "../engine/bench/estimateSweep.js";
import {annotateResultWithCeiling} from "../engine/ceiling/ceiling.js";
import {fitModel} from "../engine/ceiling/fit.js";
import {predict} from "../engine/ceiling/predict.js";
import {referenceMachines} from "../engine/ceiling/referenceMachines.js";
import {getExporter} from "../engine/export/exporters.js";
import type {Exporter} from "../engine/export/exporter.js";
import {importResults, type ImportResultsOptions, type ImportedRows} from "../engine/export/importResults.js";
import {ResultsStore} from "../engine/store/resultsStore.js";

export interface HandlerEngine {
    /** Cached per process; "skip" returns the cached profile without measuring bandwidth. */
    getHardwareProfile(options: {modelsDir?: string, bandwidth?: "measure" | "skip"}): Promise<HardwareProfile>,
    /** Forgets the cached profile, so the next call detects and measures again. */
    clearHardwareCache(): void,
    defaultModelFile: string,
    defaultModelDirs(): ModelDir[],
    discoverModels(options: DiscoverModelsOptions): Promise<DiscoveredModel[]>,
    ensureDefaultModel(options: EnsureDefaultModelOptions): Promise<string>,
    inspectModel(file: string): Promise<ModelInfo>,
    /** The fit verdict at the context predict() assumes (the model's own, at most 4096). */
    fitModel(model: ModelInfo, hardware: HardwareProfile): Promise<FitVerdict>,
    resolveShape(name: string): ModelShape,
    writeSyntheticGguf(options: WriteSyntheticGgufOptions): Promise<{path: string, bytes: number}>,
    /** The size a synthetic file of this shape and type will have. */
    syntheticBytes(shape: ModelShape, type: WeightType): number,
    /** Free bytes on the disk holding `dir`, null when unknown. */
    freeBytes(dir: string): Promise<number | null>,
    defaultPlan(machine: DefaultPlanMachine, models: string[]): SweepSpec,
    /** Cores, GPU, and for one model on a GPU its layer count and the largest count that fits (reads the file). */
    planMachine(options: PlanMachineOptions): Promise<DefaultPlanMachine>,
    runSweep(spec: SweepSpec, options: RunSweepOptions): Promise<TestResult[]>,
    estimateSweep(spec: SweepSpec, options: EstimateSweepOptions): SweepEstimate,
    annotate: NonNullable<RunSweepOptions["annotate"]>,
    createStore(file: string): ResultSink & {
        readAll(): Promise<TestResult[]>,
        readIds(): Promise<Set<string>>,
        appendMany(results: readonly TestResult[]): Promise<void>
    },
    getExporter(format: string): Exporter,
    /** Reads an import (LlamaMeter CSV, llama-bench CSV / JSON) in chunks, yielding to the event loop. */
    importResults(text: string, options?: ImportResultsOptions): Promise<ImportedRows>,
    predict(request: PredictRequest, hardware: HardwareProfile | null): Promise<PredictResult> | PredictResult,
    referenceMachines(): ReferenceMachineRow[]
}

export const handlerEngine: HandlerEngine = {
    getHardwareProfile,
    clearHardwareCache: clearHardwareProfileCache,
    defaultModelFile: DEFAULT_MODEL_FILE,
    defaultModelDirs,
    discoverModels,
    ensureDefaultModel,
    inspectModel,
    fitModel: (model, hardware) => fitModel({
        model,
        contextSize: Math.min(4096, model.contextLength > 0 ? model.contextLength : 4096),
        hardware
    }),
    resolveShape,
    writeSyntheticGguf,
    syntheticBytes: (shape, type) => planSyntheticTensors(shape, type).reduce((sum, tensor) => sum + tensor.bytes, 0),
    freeBytes: async (dir) => {
        const stats = await fs.statfs(dir).catch(() => null);
        return stats == null ? null : stats.bavail * stats.bsize;
    },
    defaultPlan,
    planMachine,
    runSweep,
    estimateSweep,
    annotate: annotateResultWithCeiling,
    createStore: (file) => new ResultsStore(file),
    getExporter,
    importResults,
    predict,
    referenceMachines
};
