// Test data and a mock API for the renderer's component tests (no back end, no model loading).
import {vi} from "vitest";
import {explainGap} from "../../../src-main/engine/ceiling/ceiling.js";
import {estimateSweep} from "../../../src-main/engine/bench/estimateSweep.js";
import type {
    ApiEvent, ExportRequest, HardwareProfile, LlamaMeterApi, ModelEntry, ReferenceMachineRow, SweepSpec, TestResult
} from "../../../src-main/api/contract.js";

type Stats = NonNullable<TestResult["stats"]>["tgTps"];

export function stats(mean: number, sd = 0, n = 2): Stats {
    return {n, mean, sd, median: mean, min: mean - sd, max: mean + sd};
}

export const hardwareFixture: HardwareProfile = {
    detectedAt: "2025-01-01T00:00:00.000Z",
    os: {
        platform: "linux", arch: "x64",
        distro: {value: "Debian GNU/Linux 12", source: "systeminformation"},
        release: {value: "6.1", source: "systeminformation"},
        virtualised: {value: true, source: "systeminformation"}
    },
    cpu: {
        brand: {value: "Test CPU 9000", source: "systeminformation"},
        physicalCores: {value: 2, source: "systeminformation"},
        logicalCores: {value: 2, source: "os-file", note: "/proc/cpuinfo"},
        simd: {value: ["AVX2", "FMA"], source: "node-llama-cpp"},
        speedGHz: {value: 2.5, source: "systeminformation"}
    },
    memory: {
        totalBytes: {value: 24 * 1024 ** 3, source: "systeminformation"},
        freeBytes: {value: 20 * 1024 ** 3, source: "systeminformation"},
        modules: {value: null, source: "none", note: "the VM hides its DIMMs"},
        theoreticalGBs: {value: null, source: "none", note: "modules unknown"}
    },
    bandwidth: {
        value: {read1GBs: 12.5, readAllGBs: 30.2, copy1GBs: 10, copyAllGBs: 25, threads: 2, bufferBytes: 1 << 28, durationMs: 900},
        source: "measured"
    },
    gpus: [],
    backends: {cuda: false, vulkan: false, metal: false, cpu: true, used: "cpu"},
    disk: {
        path: "/work/models", device: {value: "/dev/vda", source: "systeminformation"},
        kind: {value: null, source: "none", note: "virtual disk"}, freeBytes: {value: 100 * 1024 ** 3, source: "systeminformation"}
    },
    nodeLlamaCppVersion: "3.22.1",
    llamaCppRelease: "b9999"
};

export const modelsFixture: ModelEntry[] = [
    {
        path: "/models/tiny-q4_0.gguf", origin: "models",
        info: {
            file: "/models/tiny-q4_0.gguf", fileName: "tiny-q4_0.gguf", fileBytes: 5_000_000, architecture: "llama",
            parameters: 8_400_000, weightType: "Q4_0", tensorTypes: {}, nLayer: 4, nEmbd: 256, nHead: 4, nHeadKv: 4,
            nFf: 512, vocabSize: 4096, contextLength: 512, bytesPerLayer: 1_000_000, tokenEmbdBytes: 500_000,
            outputBytes: 500_000, tensorBytes: 4_900_000, synthetic: true
        },
        fit: {verdict: "CPU only", maxGpuLayers: 0, ramBytes: 6_000_000, vramBytes: 0, detail: "no GPU: runs from RAM"}
    },
    {path: "/models/bad.gguf", origin: "models", info: null, error: "bad.gguf: not a GGUF file (magic is \"hell\")"}
];

export const planFixture: SweepSpec = {
    models: ["/models/tiny-q4_0.gguf"], gpuLayers: [0], threads: [1, 2], batchSizes: [512],
    nPrompt: [16], nGen: [8], reps: 2, flashAttention: [false]
};

export const referenceFixture: ReferenceMachineRow[] = [
    {machine: "Ryzen 7 3700X, CPU only", model: "LLaMA-7B 4-bit", bytesPerToken: 3.9e9, bandwidthGBs: 51.2, measuredTps: 8.52, ceilingTps: 13.1, efficiency: 0.65, source: "hardware guide, table 2"},
    {machine: "Ryzen 5 3600, DDR4-3600 x 2", model: "8 GB model", bytesPerToken: 8e9, bandwidthGBs: 57.6, measuredTps: null, ceilingTps: 7.2, efficiency: null, source: "hardware guide, table 1"}
];

let nextId = 1;

/** A finished row; override what the test is about. Its ceiling (unless overridden) carries the engine's
 *  explanation of the final row, as the runner stores it (annotateResultWithCeiling). */
export function resultFixture(overrides: Partial<TestResult> & {threads?: number, gpuLayers?: number | "max", tg?: number, ceilingTps?: number | null} = {}): TestResult {
    const {threads = 1, gpuLayers = 0, tg = 10, ceilingTps = 40, ...rest} = overrides;
    const ceiling: NonNullable<TestResult["ceiling"]> = {
        bytesPerToken: 5_000_000, ceilingTps, ceilingTpsTheoretical: null,
        efficiency: ceilingTps != null ? tg / ceilingTps : null, bound: ceilingTps != null ? "cpu-memory" : "unknown"
    };
    const row: TestResult = {
        id: `row-${nextId++}`,
        runId: "run-1",
        timestamp: "2025-01-01T10:00:00.000Z",
        status: "ok",
        config: {modelPath: "/models/tiny-q4_0.gguf", gpuLayers, threads, batchSize: 512, nPrompt: 16, nGen: 8, reps: 2, flashAttention: false},
        model: {file: "/models/tiny-q4_0.gguf", fileName: "tiny-q4_0.gguf", fileBytes: 5_000_000, parameters: 8_400_000, weightType: "Q4_0", nLayer: 4, synthetic: true},
        env: {cpu: "Test CPU 9000", physicalCores: 2, gpu: "none", backend: "cpu", llamaCppRelease: "b9999", nodeLlamaCppVersion: "3.22.1", binary: {buildType: "prebuilt", cpuVariant: null, threadRuntime: null}, os: "linux"},
        load: {ms: 12.5, pageCache: "warm", gpuLayers: typeof gpuLayers === "number" ? gpuLayers : 5},
        samples: [],
        stats: {ppTps: stats(tg * 6, 1), tgTps: stats(tg, 0.5), tgDecodeTps: stats(tg, 0.5), ttftMs: stats(20, 1), tgMsPerToken: stats(1000 / tg, 1), outsideMsPerToken: stats(0.5, 0.1)},
        ceiling,
        ...rest
    };
    if (row.ceiling === ceiling)
        ceiling.explanation = explainGap({ceiling, threads: row.config.threads, physicalCores: row.env.physicalCores, stats: row.stats});
    return row;
}

/** A mock API answering from the fixtures; every operation is a vi.fn the test can inspect or override. */
export function fakeApi(history: TestResult[] = []) {
    const listeners = new Set<(event: ApiEvent) => void>();
    const api = {
        getHardware: vi.fn(async () => hardwareFixture),
        getHardwareFacts: vi.fn(async () => hardwareFixture),
        measureBandwidth: vi.fn(async () => hardwareFixture),
        listModels: vi.fn(async () => modelsFixture),
        inspectModel: vi.fn(async ({path}: {path: string}): Promise<ModelEntry> =>
            ({path, origin: "added", info: null, error: `${path}: not a GGUF file`})),
        createSyntheticModel: vi.fn(async () => ({jobId: "job-1"})),
        defaultPlan: vi.fn(async ({models}: {models?: string[]}) => ({...planFixture, ...(models != null ? {models} : {})})),
        startBench: vi.fn(async (_spec: SweepSpec) => ({runId: "run-42"})),
        // The engine's own arithmetic over the fixtures' models (a 2-core machine, no GPU, 10 GB/s).
        estimateSweep: vi.fn(async (spec: SweepSpec) => estimateSweep(spec, {
            models: new Map(modelsFixture.flatMap((entry) => entry.info != null ? [[entry.path, {fileBytes: entry.info.fileBytes, nLayer: entry.info.nLayer}] as const] : [])),
            physicalCores: 2, hasGpu: false, bandwidthGBs: 10, history
        })),
        cancelBench: vi.fn(async () => ({cancelled: true})),
        listHistory: vi.fn(async () => history),
        exportResults: vi.fn(async ({format}: ExportRequest) => ({fileName: `results.${format}`, mime: "text/csv", content: "a,b\n1,2\n"})),
        importCsv: vi.fn(async () => ({format: "llamameter-csv", imported: 0, duplicates: 0, skipped: 0, message: "0 imported"})),
        predict: vi.fn(async () => { throw new Error("not used"); }),
        referenceMachines: vi.fn(async () => referenceFixture),
        onEvent: vi.fn((listener: (event: ApiEvent) => void) => {
            listeners.add(listener);
            return () => { listeners.delete(listener); };
        })
    } satisfies LlamaMeterApi;
    /** Pushes an event to every subscriber, as the back end would. */
    const emit = (event: ApiEvent) => { for (const listener of [...listeners]) listener(event); };
    return {api, listeners, emit};
}
