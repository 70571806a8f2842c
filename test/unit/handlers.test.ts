// The API handlers without Electron and without llama.cpp: a fake engine stands in for hardware
// detection, inspection and the sweep runner; the results store and the path guard are the real ones.
import {afterEach, beforeEach, describe, expect, it, vi} from "vitest";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {createHandlers, type CreateHandlersOptions} from "../../src-main/api/createHandlers.js";
import type {EngineFunctions as HandlerEngine} from "../../src-main/engine/engineFunctions.js";
import {ApiError} from "../../src-main/api/apiError.js";
import {ResultsStore} from "../../src-main/engine/store/resultsStore.js";
import type {ApiEvent, SweepSpec} from "../../src-main/api/contract.js";
import type {BenchEvent, HardwareProfile, ModelInfo, TestResult} from "../../src-main/engine/types.js";
import type {RunSweepOptions} from "../../src-main/engine/bench/runSweep.js";
import {importResults} from "../../src-main/engine/export/importResults.js";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {sampleResults} from "./fixtures/sampleResults.js";
import {estimateSweep} from "../../src-main/engine/bench/estimateSweep.js";
import {planMachine} from "../../src-main/engine/bench/planMachine.js";

const fact = <T>(value: T) => ({value, source: "systeminformation" as const});

const hardware = {
    detectedAt: "2025-01-01T00:00:00.000Z",
    bandwidth: {value: null, source: "none"},
    cpu: {brand: fact("Test CPU"), physicalCores: fact(4), logicalCores: fact(8), simd: fact(["AVX2"]), speedGHz: fact(3)},
    gpus: [],
    backends: {cuda: false, vulkan: false, metal: false, cpu: true, used: "cpu"}
} as unknown as HardwareProfile;

function modelInfo(file: string, synthetic = false): ModelInfo {
    return {
        file, fileName: path.basename(file), fileBytes: 1000, architecture: "llama", parameters: 1e6, weightType: "Q4_0",
        tensorTypes: {}, nLayer: 2, nEmbd: 256, nHead: 4, nHeadKv: 2, nFf: 512, vocabSize: 512, contextLength: 512,
        bytesPerLayer: 100, tokenEmbdBytes: 10, outputBytes: 10, tensorBytes: 900, synthetic
    };
}

function row(runId: string, index: number, modelPath: string): TestResult {
    return {
        id: `${runId}:${index}`, timestamp: new Date().toISOString(), status: "ok",
        config: {modelPath, gpuLayers: 0, threads: 1, batchSize: 512, nPrompt: 8, nGen: 4, reps: 1, flashAttention: false},
        env: {cpu: "Test CPU", physicalCores: 4, gpu: "none", backend: "cpu", llamaCppRelease: "b1", nodeLlamaCppVersion: "3", binary: {buildType: "prebuilt", cpuVariant: null, threadRuntime: null}, os: "linux"},
        samples: []
    };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A sweep runner that "runs" one test per 50 ms, appending each row, and stops when aborted. */
async function fakeRunSweep(spec: SweepSpec, options: RunSweepOptions): Promise<TestResult[]> {
    const runId = options.runId ?? "no-run-id";
    const tests = spec.threads.length;
    const results: TestResult[] = [];
    options.onEvent?.({type: "plan", tests, totalReps: tests});
    for (let index = 0; index < tests; index++) {
        await sleep(50);
        if (options.signal?.aborted)
            break;
        const result = row(runId, index, spec.models[0]!);
        await options.store?.append(result);
        results.push(result);
        options.onEvent?.({type: "test-end", index, result});
    }
    options.onEvent?.({type: "done", results, cancelled: options.signal?.aborted ?? false});
    return results;
}

let dir: string;
let modelsDir: string;
let outsideDir: string;
let events: ApiEvent[];
let engine: HandlerEngine & {[K in keyof HandlerEngine]: HandlerEngine[K]};

function make(extra: Partial<CreateHandlersOptions> = {}) {
    return createHandlers({
        modelsDirs: [modelsDir],
        discoverDefaultDirs: false,
        resultsFile: path.join(dir, "results", "results.jsonl"),
        emit: (event) => events.push(event),
        engine,
        ...extra
    });
}

async function expectApiError(promise: Promise<unknown>, status: number, pattern: RegExp): Promise<ApiError> {
    const error = await promise.then(() => null, (err: unknown) => err);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(status);
    expect((error as ApiError).message).toMatch(pattern);
    expect((error as ApiError).message).not.toContain("\n");
    return error as ApiError;
}

function benchEvents(runId: string): BenchEvent[] {
    return events.flatMap((e) => e.channel === "bench" && e.runId === runId ? [e.event] : []);
}

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const start = Date.now();
    while (!predicate()) {
        if (Date.now() - start > timeoutMs)
            throw new Error("timed out waiting");
        await sleep(10);
    }
}

beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-handlers-"));
    modelsDir = path.join(dir, "models");
    outsideDir = path.join(dir, "outside");
    await fs.mkdir(modelsDir);
    await fs.mkdir(outsideDir);
    await fs.writeFile(path.join(modelsDir, "good.gguf"), "GGUF....");
    await fs.writeFile(path.join(modelsDir, "bad.gguf"), "nope");
    await fs.writeFile(path.join(outsideDir, "secret.gguf"), "GGUF....");
    events = [];
    engine = {
        getHardwareProfile: vi.fn(async () => hardware),
        clearHardwareCache: vi.fn(),
        defaultModelFile: "default.synthetic.gguf",
        defaultModelDirs: vi.fn(() => []),
        discoverModels: vi.fn(async ({dirs}) => {
            const found = [];
            for (const d of dirs ?? []) {
                for (const name of (await fs.readdir(d.path)).sort())
                    found.push({path: path.join(d.path, name), origin: d.origin, bytes: 8});
            }
            return found;
        }),
        ensureDefaultModel: vi.fn(async ({modelsDir: where, onProgress}) => {
            onProgress?.(50, 100);
            onProgress?.(100, 100);
            const file = path.join(where!, "default.synthetic.gguf");
            await fs.writeFile(file, "GGUF....");
            return file;
        }),
        inspectModel: vi.fn(async (file: string) => {
            if ((await fs.readFile(file, "utf8")).startsWith("GGUF"))
                return modelInfo(file, path.basename(file).includes("synthetic"));
            throw new Error(`${file}: not a GGUF file (bad magic)`);
        }),
        fitModel: vi.fn(async () => ({verdict: "CPU only" as const, maxGpuLayers: 0, ramBytes: 1000, vramBytes: 0, detail: "fits in RAM"})),
        resolveShape: vi.fn((name: string) => {
            if (name !== "tiny")
                throw new Error(`Unknown model shape "${name}"; valid shapes: tiny`);
            return {vocabSize: 512, nEmbd: 256, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 512, contextLength: 512};
        }),
        writeSyntheticGguf: vi.fn(async ({outPath, onProgress}) => {
            onProgress?.(10, 20);
            await fs.writeFile(outPath, "GGUF synthetic");
            return {path: outPath, bytes: 20};
        }),
        syntheticBytes: vi.fn(() => 20),
        freeBytes: vi.fn(async () => 100e9),
        defaultPlan: vi.fn((machine, models) => ({
            models, gpuLayers: [0], threads: [machine.physicalCores], batchSizes: [512], nPrompt: [128], nGen: [32], reps: 3, flashAttention: [false]
        })),
        // The real one: on a machine without a GPU it reads no file.
        planMachine: vi.fn(planMachine),
        runSweep: vi.fn(fakeRunSweep),
        estimateSweep: vi.fn(estimateSweep),
        annotate: vi.fn((result: TestResult) => result),
        createStore: (file: string) => new ResultsStore(file),
        getExporter: vi.fn((format: string) => ({
            format: format as "csv", mime: format === "csv" ? "text/csv" : "application/json", extension: format,
            serialize: (results: readonly TestResult[]) => results.map((r) => r.id).join("\n")
        })),
        // The real import (plain parsing): the handler's part is the history, the duplicates and the summary.
        importResults: vi.fn(importResults),
        predict: vi.fn(async (request) => ({
            modelBytes: 1, ramBytes: 1, vramBytes: 0, gpuLayers: 0, ceilingTps: 10, bandwidthGBs: 20,
            verdict: "CPU only" as const, lines: [`predicted for ${request.modelPath ?? request.shape}`]
        })),
        referenceMachines: vi.fn(() => [])
    };
});

afterEach(async () => {
    await fs.rm(dir, {recursive: true, force: true});
});

const validSpec = (models: string[], threads = [1]): SweepSpec => ({
    models, gpuLayers: [0], threads, batchSizes: [512], nPrompt: [8], nGen: [4], reps: 1, flashAttention: [false]
});

describe("input validation", () => {
    it("rejects malformed input with one line naming the field, before touching the engine", async () => {
        const handlers = make();
        const error = await expectApiError(
            handlers.startBench({...validSpec([path.join(modelsDir, "good.gguf")]), threads: [0], reps: "3"}), 400, /^startBench: invalid input: /
        );
        expect(error.message).toMatch(/threads\.0/);
        expect(error.message).toMatch(/reps/);
        await expectApiError(handlers.startBench(undefined), 400, /models/);
        await expectApiError(handlers.cancelBench({runId: ""}), 400, /runId/);
        await expectApiError(handlers.createSyntheticModel({shape: "tiny", type: "q5_1"}), 400, /type/);
        await expectApiError(handlers.createSyntheticModel({shape: "tiny", type: "q4_0", fileName: "../../etc/x.gguf"}), 400, /fileName/);
        await expectApiError(handlers.exportResults({format: "exe"}), 400, /format/);
        await expectApiError(handlers.inspectModel({path: 42}), 400, /path/);
        expect(engine.runSweep).not.toHaveBeenCalled();
        expect(engine.inspectModel).not.toHaveBeenCalled();
        expect(engine.writeSyntheticGguf).not.toHaveBeenCalled();
    });

    it("refuses a sweep whose lists multiply past 10,000 tests, with the count, before touching the engine (issue 13, Broken 1)", async () => {
        const handlers = make();
        const many = (n: number) => Array.from({length: n}, (_, i) => i + 1);
        // The audit's probe: every list within the schema's caps, their product 67 million.
        const probe = {
            ...validSpec(many(32).map((i) => path.join(modelsDir, `m${i}.gguf`)), many(32)),
            gpuLayers: many(64), nPrompt: many(32), nGen: many(32)
        };
        await expectApiError(handlers.startBench(probe), 400, /^startBench: the sweep has 67,108,864 tests \(32 models x 64 GPU layer counts .*at most 10,000/);
        expect(engine.runSweep).not.toHaveBeenCalled();
    });
});

describe("model paths", () => {
    it("inspects files under the models folder and refuses everything else", async () => {
        const handlers = make();
        const entry = await handlers.inspectModel({path: path.join(modelsDir, "good.gguf")});
        expect(entry).toMatchObject({origin: "models", info: {fileName: "good.gguf"}, fit: {verdict: "CPU only"}});

        await expectApiError(handlers.inspectModel({path: path.join(outsideDir, "secret.gguf")}), 403, /not allowed/);
        await expectApiError(handlers.inspectModel({path: "/etc/passwd"}), 403, /not allowed/);
        await expectApiError(handlers.inspectModel({path: `${modelsDir}/../outside/secret.gguf`}), 400, /must not contain "\.\."/);
        await expectApiError(handlers.inspectModel({path: "models/good.gguf"}), 400, /absolute/);
        await expectApiError(handlers.inspectModel({path: path.join(modelsDir, "missing.gguf")}), 404, /not found/);
        await expectApiError(handlers.startBench(validSpec([path.join(outsideDir, "secret.gguf")])), 403, /not allowed/);
        await expectApiError(handlers.predict({modelPath: "/etc/passwd"}), 403, /not allowed/);
        expect(engine.inspectModel).toHaveBeenCalledTimes(1);
        expect(engine.runSweep).not.toHaveBeenCalled();
    });

    it("answers every path outside the allowed folders alike, whether it exists, is missing or is a folder (issue 13)", async () => {
        const handlers = make();
        const probes = [path.join(outsideDir, "secret.gguf"), path.join(outsideDir, "nonexistent.gguf"), outsideDir, "/etc", "/root/.bashrc", "/root/nonexistent"];
        const answers = [];
        for (const probe of probes) {
            const error = await expectApiError(handlers.inspectModel({path: probe}), 403, /^model path not allowed: /);
            answers.push(error.message.replace(probe, "<path>"));
        }
        expect(new Set(answers).size).toBe(1);
        // inside the folder, a missing file and a folder still get their own answers
        await expectApiError(handlers.inspectModel({path: path.join(modelsDir, "missing.gguf")}), 404, /not found/);
    });

    it("refuses \"..\" (which a symlinked folder would turn around) and follows a symlink the user put in models/", async () => {
        const handlers = make();
        await fs.symlink(outsideDir, path.join(modelsDir, "link"));
        // models/link/../ would be models/ by text but outside/.. on disk
        await expectApiError(handlers.inspectModel({path: `${modelsDir}/link/../outside/secret.gguf`}), 400, /must not contain/);
        // a symlink in models/ to a file elsewhere is followed: the user put it there
        await fs.symlink(path.join(outsideDir, "secret.gguf"), path.join(modelsDir, "linked.gguf"));
        expect((await handlers.inspectModel({path: path.join(modelsDir, "linked.gguf")})).info).not.toBeNull();
        const viaLink = await handlers.inspectModel({path: path.join(modelsDir, "link", "secret.gguf")});
        expect(viaLink.info).not.toBeNull();
    });

    it("reports an uninspectable file as the entry's one-line error, not a failure of the list", async () => {
        const handlers = make();
        const models = await handlers.listModels(undefined);
        expect(models.map((m) => path.basename(m.path))).toEqual(["bad.gguf", "good.gguf"]);
        expect(models[0]).toMatchObject({info: null, error: expect.stringMatching(/bad magic/)});
        expect(models[1]?.info?.fileName).toBe("good.gguf");
    });

    it("adds files picked in the native dialog to the allowed paths (desktop only)", async () => {
        expect(make().pickModelFiles).toBeUndefined();
        const secret = path.join(outsideDir, "secret.gguf");
        const handlers = make({chooseModelFiles: async () => [secret]});
        await expectApiError(handlers.inspectModel({path: secret}), 403, /not allowed/);
        const picked = await handlers.pickModelFiles!(undefined);
        expect(picked).toMatchObject([{path: secret, origin: "added", info: {fileName: "secret.gguf"}}]);
        expect((await handlers.inspectModel({path: secret})).origin).toBe("added");
        expect((await handlers.listModels(undefined)).map((m) => m.path)).toContain(secret);
    });
});

describe("benchmark runs", () => {
    it("takes the GPU device, bandwidth and VRAM budget the way the CLI's flags do, and refuses an unknown device at once", async () => {
        const device = (index: number, name: string, kind: "discrete" | "software", usedByDefault: boolean) => ({
            index, backend: "vulkan", name: {value: name, source: "node-llama-cpp" as const}, kind: {value: kind, source: "node-llama-cpp" as const},
            vramTotalBytes: {value: 2 * 1024 ** 3, source: "node-llama-cpp" as const}, vramFreeBytes: {value: 2 * 1024 ** 3, source: "node-llama-cpp" as const}, usedByDefault
        });
        const withDevices = {...hardware, devices: [device(0, "llvmpipe (LLVM 15.0.6, 256 bits)", "software", false)]} as HardwareProfile;
        vi.mocked(engine.getHardwareProfile).mockImplementation(async () => withDevices);
        const handlers = make();
        const model = path.join(modelsDir, "good.gguf");
        await expectApiError(handlers.startBench({...validSpec([model]), gpuDevice: "7"}), 400,
            /^--gpu-device "7" is not a device llama.cpp can use \(devices: 0 = llvmpipe/);
        await expectApiError(handlers.startBench({...validSpec([model]), gpuBandwidthGBs: -1}), 400, /gpuBandwidthGBs/);

        // A software device alone is no GPU for the plan, unless it is asked for.
        await handlers.defaultPlan({models: [model]});
        expect(vi.mocked(engine.planMachine).mock.calls[0]![0].gpu.hasGpu).toBe(false);
        await handlers.defaultPlan({models: [model], gpuDevice: "llvmpipe"});
        expect(vi.mocked(engine.planMachine).mock.calls[1]![0].gpu).toMatchObject({hasGpu: true, gpuDevice: {index: 0, kind: "software"}});

        const {runId} = await handlers.startBench({...validSpec([model]), gpuDevice: "0", gpuBandwidthGBs: 55.5, vramBudgetBytes: 1024 ** 3});
        await waitFor(() => benchEvents(runId).some((e) => e.type === "done"));
        const options = vi.mocked(engine.runSweep).mock.calls[0]![1];
        expect(options.gpuDevice).toEqual({backend: "vulkan", index: 0, name: "llvmpipe (LLVM 15.0.6, 256 bits)", kind: "software"});
        expect(options.vramBudgetBytes).toBe(1024 ** 3);
        expect(options.hardware?.gpus[0]?.bandwidthGBs).toMatchObject({value: 55.5, source: "user"});
    });

    it("starts a run, streams its events under its runId and keeps its rows in the history", async () => {
        const handlers = make();
        const model = path.join(modelsDir, "good.gguf");
        const {runId} = await handlers.startBench(validSpec([model], [1, 2]));
        expect(runId).toMatch(/^[0-9a-f-]{36}$/);
        await waitFor(() => benchEvents(runId).some((e) => e.type === "done"));

        const spec = vi.mocked(engine.runSweep).mock.calls[0]![0];
        expect(spec.models).toEqual([model]);
        expect(vi.mocked(engine.runSweep).mock.calls[0]![1]).toMatchObject({runId, hardware, annotate: engine.annotate});
        expect(benchEvents(runId).map((e) => e.type)).toEqual(["plan", "test-end", "test-end", "done"]);
        const history = await handlers.listHistory(undefined);
        expect(history.map((r) => r.id)).toEqual([`${runId}:0`, `${runId}:1`]);
    });

    it("cancels within a second, keeps the finished rows, and allows one run at a time", async () => {
        const handlers = make();
        const model = path.join(modelsDir, "good.gguf");
        const {runId} = await handlers.startBench(validSpec([model], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        await waitFor(() => benchEvents(runId).filter((e) => e.type === "test-end").length >= 2);
        await expectApiError(handlers.startBench(validSpec([model])), 409, /already running/);

        const cancelledAt = Date.now();
        expect(await handlers.cancelBench({runId})).toEqual({cancelled: true});
        await waitFor(() => benchEvents(runId).some((e) => e.type === "done"));
        expect(Date.now() - cancelledAt).toBeLessThan(1000);
        const done = benchEvents(runId).find((e) => e.type === "done");
        expect(done).toMatchObject({cancelled: true});
        const kept = await handlers.listHistory(undefined);
        expect(kept.length).toBeGreaterThanOrEqual(2);
        expect(kept.length).toBeLessThan(10);
        expect(await handlers.cancelBench({runId})).toEqual({cancelled: false});
        // the slot is free again
        const second = await handlers.startBench(validSpec([model]));
        await waitFor(() => benchEvents(second.runId).some((e) => e.type === "done"));
    });

    it("ends a run whose runner throws with a done event carrying the reason", async () => {
        vi.mocked(engine.runSweep).mockRejectedValueOnce(new Error("bench worker could not start:\nno binary"));
        const handlers = make();
        const {runId} = await handlers.startBench(validSpec([path.join(modelsDir, "good.gguf")]));
        await waitFor(() => events.some((e) => e.channel === "bench" && e.runId === runId && e.event.type === "done"));
        const last = events.at(-1);
        expect(last).toMatchObject({channel: "bench", runId, event: {type: "done", cancelled: false}, error: "bench worker could not start: no binary"});
    });

    it("stops running benchmarks when the app shuts down", async () => {
        const shutdown = new AbortController();
        const handlers = make({signal: shutdown.signal});
        const {runId} = await handlers.startBench(validSpec([path.join(modelsDir, "good.gguf")], [1, 2, 3, 4, 5, 6]));
        shutdown.abort();
        await waitFor(() => benchEvents(runId).some((e) => e.type === "done"));
        expect(benchEvents(runId).find((e) => e.type === "done")).toMatchObject({cancelled: true});
        await expectApiError(handlers.startBench(validSpec([path.join(modelsDir, "good.gguf")])), 503, /shutting down/);
    });

    it("plans for the models folder's readable files, else for the built-in default model, which it writes on first use", async () => {
        const handlers = make();
        // the readable files only: bad.gguf is listed (with its reason), never planned
        expect((await handlers.defaultPlan({})).models).toEqual([path.join(modelsDir, "good.gguf")]);
        await fs.rm(path.join(modelsDir, "good.gguf"));
        vi.mocked(engine.defaultPlan).mockClear();
        const plan = await handlers.defaultPlan({});
        const defaultPath = path.join(modelsDir, "default.synthetic.gguf");
        expect(plan.models).toEqual([defaultPath]);
        expect(plan.threads).toEqual([4]); // physical cores from the profile
        expect(vi.mocked(engine.defaultPlan).mock.calls[0]![0]).toEqual({physicalCores: 4, hasGpu: false});
        const {runId} = await handlers.startBench(plan);
        await waitFor(() => benchEvents(runId).some((e) => e.type === "done"));
        expect(engine.ensureDefaultModel).toHaveBeenCalledTimes(1);
        expect(benchEvents(runId)[0]).toMatchObject({type: "progress", message: expect.stringMatching(/default model/)});
        await expectApiError(handlers.defaultPlan({models: [path.join(outsideDir, "secret.gguf")]}), 403, /not allowed/);
    });

    it("measures bandwidth for getHardware but never while a run is going", async () => {
        const handlers = make();
        await handlers.getHardware(undefined);
        expect(vi.mocked(engine.getHardwareProfile).mock.calls.at(-1)![0]).toMatchObject({bandwidth: "measure", modelsDir});
        const {runId} = await handlers.startBench(validSpec([path.join(modelsDir, "good.gguf")], [1, 2, 3]));
        await handlers.getHardware(undefined);
        expect(vi.mocked(engine.getHardwareProfile).mock.calls.at(-1)![0]).toMatchObject({bandwidth: "skip"});
        await handlers.cancelBench({runId});
        await waitFor(() => benchEvents(runId).some((e) => e.type === "done"));
    });
});

describe("synthetic models", () => {
    it("writes into models/, reports progress and makes the file usable", async () => {
        const handlers = make();
        const {jobId} = await handlers.createSyntheticModel({shape: "tiny", type: "q4_0"});
        await waitFor(() => events.some((e) => e.channel === "synth" && e.jobId === jobId && e.done));
        const done = events.find((e) => e.channel === "synth" && e.done);
        const written = path.join(modelsDir, "tiny-q4_0.synthetic.gguf");
        expect(done).toMatchObject({path: written, writtenBytes: 20, totalBytes: 20});
        expect(done).not.toHaveProperty("error");
        expect((await handlers.inspectModel({path: written})).info?.synthetic).toBe(true);
        // rewriting a synthetic file is fine; overwriting a user's model is not
        await handlers.createSyntheticModel({shape: "tiny", type: "q4_0"});
        await expectApiError(handlers.createSyntheticModel({shape: "tiny", type: "q4_0", fileName: "good.gguf"}), 409, /not a LlamaMeter synthetic/);
    });

    it("refuses unknown shapes and files the disk cannot hold", async () => {
        const handlers = make();
        await expectApiError(handlers.createSyntheticModel({shape: "huge", type: "q4_0"}), 400, /Unknown model shape "huge"/);
        vi.mocked(engine.syntheticBytes).mockReturnValue(140e9);
        vi.mocked(engine.freeBytes).mockResolvedValue(20e9);
        await expectApiError(handlers.createSyntheticModel({shape: "tiny", type: "f16"}), 507, /not enough disk space.*130 GiB.*18\.6 GiB/);
        expect(engine.writeSyntheticGguf).not.toHaveBeenCalled();
    });

    it("reports a failed write as the job's error", async () => {
        vi.mocked(engine.writeSyntheticGguf).mockRejectedValueOnce(new Error("ENOSPC: no space left on device"));
        const handlers = make();
        const {jobId} = await handlers.createSyntheticModel({shape: "tiny", type: "q8_0"});
        await waitFor(() => events.some((e) => e.channel === "synth" && e.jobId === jobId && e.done));
        expect(events.find((e) => e.channel === "synth" && e.done)).toMatchObject({error: "ENOSPC: no space left on device"});
    });
});

describe("history, export and import", () => {
    async function seedHistory() {
        const store = new ResultsStore(path.join(dir, "results", "results.jsonl"));
        await store.append(row("r1", 0, "/m.gguf"));
        await store.append(row("r1", 1, "/m.gguf"));
        await store.append(row("r2", 0, "/m.gguf"));
    }

    it("exports all rows or the chosen ids", async () => {
        await seedHistory();
        const handlers = make();
        const all = await handlers.exportResults({format: "csv"});
        expect(all).toMatchObject({mime: "text/csv", content: "r1:0\nr1:1\nr2:0"});
        expect(all.fileName).toMatch(/^llamameter-results-\d{8}-\d{6}\.csv$/);
        const some = await handlers.exportResults({format: "json", ids: ["r2:0"]});
        expect(some.content).toBe("r2:0");
        expect(some.fileName).toMatch(/\.json$/);
    });

    it("saves through the native dialog, or not when cancelled (desktop only)", async () => {
        await seedHistory();
        expect(make().saveExport).toBeUndefined();
        const target = path.join(dir, "saved.csv");
        let answer: string | null = target;
        const chooseSavePath = vi.fn(async (_suggestion: {fileName: string, extension: string, formatName: string}) => answer);
        const handlers = make({chooseSavePath});
        expect(await handlers.saveExport!({format: "csv", ids: ["r1:1"]})).toEqual({path: target});
        expect(await fs.readFile(target, "utf8")).toBe("r1:1");
        expect(chooseSavePath.mock.calls[0]![0]).toMatchObject({extension: "csv", formatName: "CSV"});
        answer = null;
        expect(await handlers.saveExport!({format: "csv"})).toEqual({path: null});
    });

    it("keeps imported rows in the history, tagged, skips duplicates with a count, and reports a foreign file in one line", async () => {
        await seedHistory();
        const handlers = make();
        const text = csvExporter.serialize(sampleResults);
        const first = await handlers.importCsv({text});
        expect(first).toEqual({format: "llamameter-csv", imported: 5, duplicates: 0, skipped: 0, message: "5 imported"});
        // The answer is a summary, never the rows echoed back.
        expect(JSON.stringify(first).length).toBeLessThan(200);
        const again = await handlers.importCsv({text});
        expect(again.message).toBe("0 imported, 5 duplicates skipped");
        const history = await handlers.listHistory(undefined);
        expect(history.map((r) => r.id)).toEqual(["r1:0", "r1:1", "r2:0", ...sampleResults.map((r) => r.id)]);
        expect(history.slice(3).every((r) => r.imported?.format === "llamameter-csv" && !Number.isNaN(Date.parse(r.imported.at)))).toBe(true);
        // survives a restart: a new set of handlers reads the same history
        expect((await make().listHistory(undefined)).length).toBe(8);
        await expectApiError(handlers.importCsv({text: "name,age\nbob,3"}), 400, /could not import the file: Not a LlamaMeter results CSV/);
    });

    it("skips a half-written last line in the history", async () => {
        await seedHistory();
        await fs.appendFile(path.join(dir, "results", "results.jsonl"), "{\"id\": \"broken");
        expect((await make().listHistory(undefined)).map((r) => r.id)).toEqual(["r1:0", "r1:1", "r2:0"]);
    });
});

describe("predict", () => {
    it("passes the request and the hardware to the engine", async () => {
        const handlers = make();
        const model = path.join(modelsDir, "good.gguf");
        const result = await handlers.predict({modelPath: model});
        expect(result.lines).toEqual([`predicted for ${model}`]);
        expect(vi.mocked(engine.predict).mock.calls[0]![1]).toBe(hardware);
        vi.mocked(engine.predict).mockRejectedValueOnce(new Error("unknown GPU \"Voodoo 2\""));
        await expectApiError(handlers.predict({shape: "7b", gpu: "Voodoo 2"}), 400, /unknown GPU/);
    });
});

describe("estimateSweep", () => {
    it("hands the engine the models' sizes, the machine and the history; a path outside the folders is refused", async () => {
        const handlers = make();
        const good = path.join(modelsDir, "good.gguf");
        const estimate = await handlers.estimateSweep({...validSpec([good, path.join(modelsDir, "bad.gguf")], [1, 64])});
        expect(estimate.tests).toBe(4);
        expect(estimate.modelLoads).toBe(2);
        const options = vi.mocked(engine.estimateSweep).mock.calls[0]![1];
        // The unreadable file is left out of the sizes (its test fails at once); the good one is there.
        expect([...options.models.keys()]).toEqual([good]);
        expect(options.physicalCores).toBe(hardware.cpu.physicalCores.value);
        expect(estimate.warnings.some((warning) => /^threads 64 above/.test(warning))).toBe(true);
        await expectApiError(handlers.estimateSweep(validSpec([path.join(outsideDir, "secret.gguf")])), 403, /not allowed/);
        await expectApiError(handlers.estimateSweep({...validSpec([good]), contextSize: 16, nPrompt: [128]}), 400, /cannot hold/);
    });
});

describe("getHardwareFacts and measureBandwidth", () => {
    it("answers the facts without measuring, and measures again on request but never during a run", async () => {
        const handlers = make();
        await handlers.getHardwareFacts(undefined);
        expect(vi.mocked(engine.getHardwareProfile).mock.calls.at(-1)![0]).toMatchObject({bandwidth: "skip"});
        await handlers.measureBandwidth(undefined);
        expect(engine.clearHardwareCache).toHaveBeenCalledTimes(1);
        expect(vi.mocked(engine.getHardwareProfile).mock.calls.at(-1)![0]).toMatchObject({bandwidth: "measure"});
        const {runId} = await handlers.startBench(validSpec([path.join(modelsDir, "good.gguf")], [1, 2, 3, 4, 5, 6]));
        await expectApiError(handlers.measureBandwidth(undefined), 409, /benchmark is running/);
        expect(engine.clearHardwareCache).toHaveBeenCalledTimes(1);
        await handlers.cancelBench({runId});
    });
});
