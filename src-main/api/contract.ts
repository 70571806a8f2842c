// The one API contract: every operation the UI can call, with its input and output types, and every
// event the back end pushes. The Electron preload (IPC), the browser-mode server (HTTP + SSE) and the
// renderer are all typed from this file; inputs are validated in the back end with these zod schemas.
// The renderer imports this file for its types only (and zod for nothing): keep it free of Node imports.
import {z} from "zod";
import type {
    BenchEvent, HardwareProfile, ModelInfo, SweepSpec, TestResult, CeilingInfo, FitVerdict, PredictRequest, PredictResult, ReferenceMachineRow, ImportSummary
} from "../engine/types.js";
import type {SweepEstimate} from "../engine/bench/estimateSweep.js";
import {sweepSpecSchema} from "../engine/bench/sweepSpecSchema.js";
import {FILE_EXPORT_FORMATS} from "../engine/export/exporter.js";
import {SYNTHETIC_WEIGHT_TYPES} from "../engine/types.js";

// The engine owns these types (its functions return them); the contract carries them to the front ends.
export type {BenchEvent, HardwareProfile, ModelInfo, SweepSpec, TestResult, CeilingInfo, SweepEstimate, FitVerdict, PredictRequest, PredictResult, ReferenceMachineRow, ImportSummary};
export {sweepSpecSchema};


export const synthRequestSchema = z.object({
    shape: z.string().min(1).max(32),
    type: z.enum(SYNTHETIC_WEIGHT_TYPES),
    /** File name only; the file is written into the models folder. */
    fileName: z.string().regex(/^[\w.-]{1,200}\.gguf$/).optional()
});
export type SynthRequest = z.infer<typeof synthRequestSchema>;

export const exportRequestSchema = z.object({
    format: z.enum(FILE_EXPORT_FORMATS),
    /** Result ids to export; all history when omitted. */
    ids: z.array(z.string().max(100)).max(100000).optional()
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

export const predictRequestSchema = z.object({
    shape: z.string().max(32).optional(),
    type: z.string().max(16).optional(),
    modelPath: z.string().max(4096).optional(),
    ram: z.string().max(64).optional(),
    gpu: z.string().max(128).optional(),
    contextSize: z.number().int().min(16).max(1 << 20).optional()
}) satisfies z.ZodType<PredictRequest>;

/** A model the UI can pick: a discovered file, inspected, with a fit verdict for this machine. */
export interface ModelEntry {
    path: string,
    /** Where it was found: "models", "lm-studio", "ollama", "huggingface", "added". */
    origin: string,
    info: ModelInfo | null,
    /** One line when the file could not be inspected. */
    error?: string,
    fit?: FitVerdict
}






/** Operation name -> [input, output]. One map drives the preload, the server and the client. */
export interface ApiOperations {
    getHardware: [void, HardwareProfile],
    /** The hardware facts without waiting for a first bandwidth measurement (bandwidth null until measured). */
    getHardwareFacts: [void, HardwareProfile],
    /** Forgets the measured bandwidth and measures it again; refused while a benchmark runs. */
    measureBandwidth: [void, HardwareProfile],
    listModels: [void, ModelEntry[]],
    inspectModel: [{path: string}, ModelEntry],
    createSyntheticModel: [SynthRequest, {jobId: string}],
    defaultPlan: [{models?: string[], gpuDevice?: string, vramBudgetBytes?: number}, SweepSpec],
    startBench: [SweepSpec, {runId: string}],
    /** What a sweep will cost (time, model loads, bytes read) and its non-blocking warnings; runs nothing. */
    estimateSweep: [SweepSpec, SweepEstimate],
    cancelBench: [{runId: string}, {cancelled: boolean}],
    listHistory: [void, TestResult[]],
    exportResults: [ExportRequest, {fileName: string, mime: string, content: string}],
    importCsv: [{text: string}, ImportSummary],
    predict: [PredictRequest, PredictResult],
    referenceMachines: [void, ReferenceMachineRow[]]
}
export type ApiName = keyof ApiOperations;
export type ApiInput<K extends ApiName> = ApiOperations[K][0];
export type ApiOutput<K extends ApiName> = ApiOperations[K][1];

/** Operations only the desktop app has (native dialogs); browser mode leaves them undefined. */
export interface DesktopOperations {
    /** Native "open" dialog for GGUF file(s); the chosen files become allowed model paths. Empty when cancelled. */
    pickModelFiles: [void, ModelEntry[]],
    /** Native "save" dialog, then writes the export there. `path` is null when cancelled. */
    saveExport: [ExportRequest, {path: string | null}]
}
export type DesktopName = keyof DesktopOperations;

/** Events pushed to every window / browser tab. */
export type ApiEvent =
    | {channel: "bench", runId: string, event: BenchEvent, /** One line, set on the final "done" event when the run failed as a whole. */ error?: string}
    | {channel: "synth", jobId: string, writtenBytes: number, totalBytes: number, done: boolean, error?: string, path?: string};

/** What the renderer calls: the preload and the HTTP client both implement it. */
export type LlamaMeterApi = {
    [K in ApiName]: ApiInput<K> extends void ? () => Promise<ApiOutput<K>> : (input: ApiInput<K>) => Promise<ApiOutput<K>>
} & {
    [K in DesktopName]?: DesktopOperations[K][0] extends void
        ? () => Promise<DesktopOperations[K][1]>
        : (input: DesktopOperations[K][0]) => Promise<DesktopOperations[K][1]>
} & {
    /** Subscribe to pushed events; returns the unsubscribe function. */
    onEvent(listener: (event: ApiEvent) => void): () => void
};

/** Input schemas for the operations that take input; handlers validate with these before acting. */
export const inputSchemas = {
    inspectModel: z.object({path: z.string().min(1).max(4096)}),
    createSyntheticModel: synthRequestSchema,
    defaultPlan: z.object({models: z.array(z.string().max(4096)).max(32).optional(), gpuDevice: sweepSpecSchema.shape.gpuDevice,
        vramBudgetBytes: sweepSpecSchema.shape.vramBudgetBytes}),
    startBench: sweepSpecSchema,
    estimateSweep: sweepSpecSchema,
    cancelBench: z.object({runId: z.string().min(1).max(100)}),
    exportResults: exportRequestSchema,
    // 32 MiB is ~25,000 rows, above the import's row cap; the body limit (src-main/server) follows from it.
    importCsv: z.object({text: z.string().max(32 * 1024 * 1024)}),
    predict: predictRequestSchema,
    saveExport: exportRequestSchema
} as const;
