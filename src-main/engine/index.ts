// The engine's public face: what the CLI, the API handlers and the Electron shell build on.
// Plain Node; never imports electron.
export type * from "./types.js";

export {runSweep, type RunSweepOptions, type ResultSink} from "./bench/runSweep.js";
export {expandSweep, loadKey} from "./bench/expandSweep.js";
export {parseSweepList} from "./bench/parseSweepList.js";
export {defaultPlan} from "./bench/defaultPlan.js";
export {computeStats} from "./bench/stats.js";
export {forkSpawner, type WorkerSpawner, type WorkerChannel} from "./bench/BenchWorkerClient.js";

export {writeSyntheticGguf} from "./models/writeSyntheticGguf.js";
export {SHAPE_PRESETS, resolveShape} from "./models/shapePresets.js";
export {planSyntheticTensors} from "./models/planSyntheticTensors.js";
export {inspectModel} from "./models/inspectModel.js";
export {validateGguf} from "./models/validateGguf.js";
export {ModelFileError} from "./models/ModelFileError.js";
export {discoverModels, defaultModelsDir, ensureDefaultModel} from "./models/discoverModels.js";

export {detectHardware, getHardwareProfile} from "./hardware/detectHardware.js";
export {measureBandwidth} from "./hardware/measureBandwidth.js";
export {parseRamSpec} from "./hardware/parseRamSpec.js";

export {computeCeiling, annotateResultWithCeiling, explainGap} from "./ceiling/ceiling.js";
export {fitModel} from "./ceiling/fit.js";
export {lookupGpu} from "./hardware/gpuBandwidth.js";
export {predict} from "./ceiling/predict.js";
export {referenceMachines} from "./ceiling/referenceMachines.js";

export {COLUMNS, DEFAULT_COLUMNS} from "./export/columns.js";
export {getExporter, EXPORT_FORMATS} from "./export/exporters.js";
export {createStreamingPrinter} from "./export/createStreamingPrinter.js";
export {parseResultsCsv} from "./export/parseResultsCsv.js";
export {ResultsStore, defaultResultsFile} from "./store/resultsStore.js";
