// The one API contract: every operation the UI can call, with its input and output types, and every
// event the back end pushes. The Electron preload (IPC), the browser-mode server (HTTP + SSE) and the
// renderer are all typed from this file; inputs are validated in the back end with these zod schemas.
// The renderer imports this file for its types only (and zod for nothing): keep it free of Node imports.
import {z} from "zod";
import {
    ENGINES, KV_CACHE_TYPES, type BenchEvent, type HardwareProfile, type ModelInfo, type SweepSpec, type TestResult, type CeilingInfo
} from "../engine/types.js";

export type {BenchEvent, HardwareProfile, ModelInfo, SweepSpec, TestResult, CeilingInfo};
import type {SweepEstimate} from "../engine/bench/estimateSweep.js";
export type {SweepEstimate};

const gpuLayers = z.union([z.number().int().min(0).max(1000), z.literal("max")]);
const positiveInts = (max: number) => z.array(z.number().int().min(1).max(max)).min(1).max(32);

export const sweepSpecSchema = z.object({
    models: z.array(z.string().min(1).max(4096)).min(1).max(32),
    gpuLayers: z.array(gpuLayers).min(1).max(64),
    threads: z.array(z.union([z.number().int().min(1).max(1024), z.literal("auto")])).min(1).max(32),
    batchSizes: positiveInts(65536),
    nPrompt: z.array(z.number().int().min(0).max(65536)).min(1).max(32),
    nGen: z.array(z.number().int().min(0).max(65536)).min(1).max(32),
    reps: z.number().int().min(1).max(100),
    flashAttention: z.array(z.boolean()).min(1).max(2),
    contextSize: z.number().int().min(16).max(1 << 20).optional(),
    engines: z.array(z.enum(ENGINES)).min(1).max(2).optional(),
    nDepth: z.array(z.number().int().min(0).max(1 << 20)).min(1).max(32).optional(),
    cacheTypeK: z.array(z.enum(KV_CACHE_TYPES)).min(1).max(KV_CACHE_TYPES.length).optional(),
    cacheTypeV: z.array(z.enum(KV_CACHE_TYPES)).min(1).max(KV_CACHE_TYPES.length).optional(),
    ubatchSizes: positiveInts(65536).optional(),
    useMmap: z.array(z.boolean()).min(1).max(2).optional()
}) satisfies z.ZodType<SweepSpec>;

export const synthRequestSchema = z.object({
    shape: z.string().min(1).max(32),
    type: z.enum(["f16", "q8_0", "q4_0", "q4_k"]),
    /** File name only; the file is written into the models folder. */
    fileName: z.string().regex(/^[\w.-]{1,200}\.gguf$/).optional()
});
export type SynthRequest = z.infer<typeof synthRequestSchema>;

export const exportRequestSchema = z.object({
    format: z.enum(["csv", "json", "jsonl", "md"]),
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
});
export type PredictRequest = z.infer<typeof predictRequestSchema>;

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

export interface FitVerdict {
    verdict: "fits on GPU" | "partial offload" | "CPU only" | "does not fit",
    /** Largest gpuLayers that fits (0 without a GPU). */
    maxGpuLayers: number,
    ramBytes: number,
    vramBytes: number,
    detail: string
}

export interface PredictResult {
    modelBytes: number,
    ramBytes: number,
    vramBytes: number,
    gpuLayers: number,
    ceilingTps: number | null,
    bandwidthGBs: number | null,
    explanation: string
}

/** A run = one sweep started from the UI or CLI; its rows share the runId. */
export interface RunSummary {
    runId: string,
    startedAt: string,
    rows: number,
    models: string[],
    cancelled: boolean
}

/** A reference machine shown beside the user's results (figures from the hardware guide the product is
 *  built around): a theoretical ceiling row (e.g. DDR4-3600 x 2 with an 8 GB model) or a measured row
 *  (e.g. Ryzen 7 3700X, LLaMA-7B 4-bit, 117.42 ms/token) with its ceiling and efficiency. */
export interface ReferenceMachineRow {
    /** e.g. "Ryzen 7 3700X, DDR4 x 2, CPU only". */
    machine: string,
    /** e.g. "LLaMA-7B 4-bit" or "8 GB model". */
    model: string,
    /** Bytes read per generated token, where known. */
    bytesPerToken: number | null,
    /** Memory bandwidth in GB/s (1e9 bytes/s), theoretical unless the source measured it. */
    bandwidthGBs: number | null,
    /** Generation tokens/s the source measured; null for ceiling-only rows. */
    measuredTps: number | null,
    /** bandwidth / bytes per token. */
    ceilingTps: number | null,
    /** measuredTps / ceilingTps. */
    efficiency: number | null,
    /** Where the figure comes from, e.g. "hardware guide, table 2". */
    source: string
}

/** What an import did: its rows are in the history (listHistory), tagged with where they came from. */
export interface ImportSummary {
    /** What was read: "llamameter-csv", "llama-bench-csv" or "llama-bench-json". */
    format: string,
    imported: number,
    /** Rows already in the history (or twice in the file), not added again. */
    duplicates: number,
    /** llama-bench pg tests (one rate over prompt and generation together), not imported. */
    skipped: number,
    /** One line for the user, e.g. "2 imported, 4 duplicates skipped". */
    message: string
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
    defaultPlan: [{models?: string[]}, SweepSpec],
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
    defaultPlan: z.object({models: z.array(z.string().max(4096)).max(32).optional()}),
    startBench: sweepSpecSchema,
    estimateSweep: sweepSpecSchema,
    cancelBench: z.object({runId: z.string().min(1).max(100)}),
    exportResults: exportRequestSchema,
    // 32 MiB is ~25,000 rows, above the import's row cap; the body limit (src-main/server) follows from it.
    importCsv: z.object({text: z.string().max(32 * 1024 * 1024)}),
    predict: predictRequestSchema,
    saveExport: exportRequestSchema
} as const;
