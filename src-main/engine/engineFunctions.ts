// The engine functions the service (createLlamaMeter) calls, gathered behind one interface so unit tests of
// the service and of the front ends over it can replace them (no model loading, no hardware probing) while
// the product path uses the real ones.
import fs from "node:fs/promises";
import type {FitVerdict, HardwareProfile, ModelInfo, ModelShape, PredictRequest, PredictResult, ReferenceMachineRow, SweepSpec, TestResult, WeightType} from "./types.js";
import {clearHardwareProfileCache, getHardwareProfile, type DetectHardwareOptions} from "./hardware/detectHardware.js";
import {DEFAULT_MODEL_FILE, defaultModelDirs, discoverModels, ensureDefaultModel} from "./models/discoverModels.js";
import type {DiscoverModelsOptions, DiscoveredModel, EnsureDefaultModelOptions, ModelDir} from "./models/discoverModels.js";
import {inspectModel} from "./models/inspectModel.js";
import {resolveShape} from "./models/shapePresets.js";
import {writeSyntheticGguf, type WriteSyntheticGgufOptions} from "./models/writeSyntheticGguf.js";
import {planSyntheticTensors} from "./models/planSyntheticTensors.js";
import {defaultPlan, type DefaultPlanMachine} from "./bench/defaultPlan.js";
import {planMachine, type PlanMachineOptions} from "./bench/planMachine.js";
import {runSweep, type ResultSink, type RunSweepOptions} from "./bench/runSweep.js";
import {estimateSweep, type EstimateSweepOptions, type SweepEstimate} from "./bench/estimateSweep.js";
import {annotateResultWithCeiling} from "./ceiling/ceiling.js";
import {fitModel} from "./ceiling/fit.js";
import {predict} from "./ceiling/predict.js";
import {referenceMachines} from "./ceiling/referenceMachines.js";
import {getExporter} from "./export/exporters.js";
import type {Exporter} from "./export/exporter.js";
import {importResults, type ImportResultsOptions, type ImportedRows} from "./export/importResults.js";
import {ResultsStore} from "./store/resultsStore.js";

export interface EngineFunctions {
    /** Cached per process; "skip" returns the cached profile without measuring bandwidth. */
    getHardwareProfile(options: Pick<DetectHardwareOptions, "modelsDir" | "bandwidth">): Promise<HardwareProfile>,
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
        readonly file: string,
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

export const engineFunctions: EngineFunctions = {
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
