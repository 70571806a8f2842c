// The API operations as thin functions over the engine service (createLlamaMeter), which owns planning, the
// hardware cache and the run pipeline. The Electron shell registers them over IPC and the browser-mode server
// over HTTP; neither adds logic. Every handler validates its raw input with the contract's zod schemas first,
// and every model path must pass the ModelPathGuard, so a renderer (or a browser tab holding the token)
// cannot make the back end read arbitrary files. What stays here is the API's own: the guard, run ids and
// events, synthetic-model jobs and the model list.
import {randomUUID} from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type {z} from "zod";
import {inputSchemas} from "./contract.js";
import type {ApiEvent, ExportRequest, FitVerdict, ImportSummary, ModelEntry, PredictResult, SweepSpec} from "./contract.js";
import type {ApiHandlers} from "./apiHandlers.js";
import {ApiError, errorMessage} from "./apiError.js";
import {ModelPathGuard, isInside} from "./modelPathGuard.js";
import {BusyError, createLlamaMeter, type LlamaMeter} from "../engine/createLlamaMeter.js";
import type {EngineFunctions} from "../engine/engineFunctions.js";
import type {WorkerSpawner} from "../engine/bench/BenchWorkerClient.js";
import type {HardwareProfile, ModelInfo, TestResult} from "../engine/types.js";
import {formatBytes} from "../engine/formatBytes.js";

export interface CreateHandlersOptions {
    /** Model folders served; the first is where synthetic models and the default model are written. */
    modelsDirs: string[],
    /** Also scan (and allow) LM Studio's, Ollama's and the Hugging Face cache folders. Default true. */
    discoverDefaultDirs?: boolean,
    /** The results history (append-only JSON lines). */
    resultsFile: string,
    /** Pushes an event to every window / tab. */
    emit: (event: ApiEvent) => void,
    /** Electron only: the native "open" dialog; chosen files become allowed model paths. */
    chooseModelFiles?: () => Promise<string[]>,
    /** Electron only: the native "save" dialog; null when cancelled. */
    chooseSavePath?: (suggestion: {fileName: string, extension: string, formatName: string}) => Promise<string | null>,
    /** How bench workers are started (Electron: utilityProcess); default Node's fork. */
    spawner?: WorkerSpawner,
    /** Measure memory bandwidth in getHardware (a few seconds, once). Default "measure". */
    bandwidth?: "measure" | "skip",
    /** Aborting stops running benchmarks and synthetic writes (app shutdown). */
    signal?: AbortSignal,
    /** The engine functions under the service; unit tests pass fakes. */
    engine?: Partial<EngineFunctions>
}

type Input<K extends keyof typeof inputSchemas> = z.infer<(typeof inputSchemas)[K]>;

/** Minimum free space left on the models disk after writing a synthetic model. */
const diskMarginBytes = 512 * 1024 * 1024;
/** Synthetic-write progress events at most this often. */
const progressIntervalMs = 200;

export function createHandlers(options: CreateHandlersOptions): ApiHandlers {
    if (options.modelsDirs.length === 0)
        throw new Error("createHandlers: at least one models folder is needed");
    const meter: LlamaMeter = createLlamaMeter({
        modelsDirs: options.modelsDirs,
        resultsFile: options.resultsFile,
        ...(options.bandwidth != null ? {bandwidth: options.bandwidth} : {}),
        ...(options.spawner != null ? {spawner: options.spawner} : {}),
        ...(options.engine != null ? {functions: options.engine} : {})
    });
    const engine = meter.functions;
    const {modelsDir, defaultModelPath} = meter;
    const scanDirs = [
        ...options.modelsDirs.map((dir) => ({path: path.resolve(dir), origin: "models"})),
        ...(options.discoverDefaultDirs ?? true ? engine.defaultModelDirs().filter((dir) => dir.origin !== "models") : [])
    ];
    const guard = new ModelPathGuard({dirs: scanDirs.map((dir) => dir.path)});
    const runs = new Map<string, AbortController>();
    const synthJobs = new Map<string, {controller: AbortController, outPath: string}>();

    options.signal?.addEventListener("abort", () => {
        for (const controller of runs.values())
            controller.abort();
        for (const job of synthJobs.values())
            job.controller.abort();
    }, {once: true});

    function parse<K extends keyof typeof inputSchemas>(name: K, input: unknown): Input<K> {
        const result = inputSchemas[name].safeParse(input ?? {});
        if (!result.success)
            throw ApiError.fromZod(name, result.error);
        return result.data as Input<K>;
    }

    /** The service caches the profile; bandwidth is measured once, and never while a benchmark runs. */
    async function hardware(bandwidth?: "measure" | "skip"): Promise<HardwareProfile> {
        try {
            return await meter.hardware(bandwidth != null ? {bandwidth} : {});
        } catch (err) {
            throw new ApiError(`hardware detection failed: ${errorMessage(err)}`, 500);
        }
    }

    /** The service's one-line refusals, as API errors: busy is a conflict, the rest bad input. */
    async function answer<T>(work: () => Promise<T> | T, prefix = ""): Promise<T> {
        try {
            return await work();
        } catch (err) {
            throw err instanceof ApiError ? err : new ApiError(prefix + errorMessage(err), err instanceof BusyError ? 409 : 400);
        }
    }

    async function describeModel(file: string, origin: string): Promise<ModelEntry> {
        let info: ModelInfo;
        try {
            info = await meter.inspect(file);
        } catch (err) {
            return {path: file, origin, info: null, error: errorMessage(err)};
        }
        const fit: FitVerdict | null = await meter.fit(info);
        return {path: file, origin, info, ...(fit != null ? {fit} : {})};
    }

    function originOf(file: string): string {
        if (guard.allowedFiles().includes(path.resolve(file)))
            return "added";
        const dir = scanDirs.find((d) => isInside(d.path, file));
        return dir?.origin ?? "added";
    }

    /** Checks a model path for a plan or a run; the default model may not exist yet (it is written on start). */
    async function checkModelForRun(file: string): Promise<string> {
        if (path.resolve(file) === defaultModelPath)
            return defaultModelPath;
        return await guard.check(file);
    }

    function buildExport(request: ExportRequest, rows: TestResult[]) {
        const exporter = engine.getExporter(request.format);
        const ids = request.ids != null ? new Set(request.ids) : null;
        const selected = ids == null ? rows : rows.filter((row) => ids.has(row.id));
        const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
        return {
            fileName: `llamameter-results-${stamp}.${exporter.extension}`,
            mime: exporter.mime,
            extension: exporter.extension,
            content: exporter.serialize(selected)
        };
    }

    async function runBench(runId: string, spec: SweepSpec, controller: AbortController): Promise<void> {
        const {signal} = controller;
        const emit = (event: Extract<ApiEvent, {channel: "bench"}>["event"], error?: string) =>
            options.emit({channel: "bench", runId, event, ...(error != null ? {error} : {})});
        try {
            await meter.run(spec, {runId, signal, onEvent: (event) => emit(event)});
        } catch (err) {
            emit({type: "done", results: [], cancelled: signal.aborted}, signal.aborted ? undefined : errorMessage(err));
        } finally {
            runs.delete(runId);
        }
    }

    async function runSynth(jobId: string, shapeName: string, type: Input<"createSyntheticModel">["type"], outPath: string, controller: AbortController) {
        let lastEmit = 0;
        try {
            const shape = engine.resolveShape(shapeName);
            const {path: written, bytes} = await engine.writeSyntheticGguf({
                shape, type, outPath, signal: controller.signal,
                onProgress: (writtenBytes, totalBytes) => {
                    const now = Date.now();
                    if (now - lastEmit < progressIntervalMs)
                        return;
                    lastEmit = now;
                    options.emit({channel: "synth", jobId, writtenBytes, totalBytes, done: false});
                }
            });
            guard.allowFile(written);
            options.emit({channel: "synth", jobId, writtenBytes: bytes, totalBytes: bytes, done: true, path: written});
        } catch (err) {
            options.emit({
                channel: "synth", jobId, writtenBytes: 0, totalBytes: 0, done: true,
                error: controller.signal.aborted ? "cancelled" : errorMessage(err)
            });
        } finally {
            synthJobs.delete(jobId);
        }
    }

    const handlers: ApiHandlers = {
        async getHardware() {
            return await hardware();
        },

        async getHardwareFacts() {
            // Called before getHardware, this answers in about a second; the probe then runs for getHardware.
            return await hardware("skip");
        },

        async measureBandwidth() {
            // The probe and a run would disturb each other's figures: refused while one runs.
            return await answer(() => meter.measureBandwidthAgain());
        },

        async listModels() {
            const found = await engine.discoverModels({dirs: scanDirs});
            const seen = new Set(found.map((model) => path.resolve(model.path)));
            const added = guard.allowedFiles().filter((file) => !seen.has(file));
            const entries: ModelEntry[] = [];
            for (const model of found)
                entries.push(await describeModel(model.path, model.origin));
            for (const file of added) {
                if (await fs.stat(file).then((s) => s.isFile(), () => false))
                    entries.push(await describeModel(file, "added"));
            }
            return entries;
        },

        async inspectModel(input) {
            const {path: given} = parse("inspectModel", input);
            const file = await guard.check(given);
            return await describeModel(file, originOf(file));
        },

        async createSyntheticModel(input) {
            const request = parse("createSyntheticModel", input);
            let shape;
            try {
                shape = engine.resolveShape(request.shape);
            } catch (err) {
                throw new ApiError(errorMessage(err));
            }
            const fileName = request.fileName ?? `${request.shape.toLowerCase()}-${request.type}.synthetic.gguf`;
            const outPath = path.join(modelsDir, fileName);
            if ([...synthJobs.values()].some((job) => job.outPath === outPath))
                throw new ApiError(`${fileName} is already being written`, 409);
            const existing = await fs.stat(outPath).catch(() => null);
            if (existing != null) {
                const info = await meter.inspect(outPath).catch(() => null);
                if (info?.synthetic !== true)
                    throw new ApiError(`${outPath} exists and is not a LlamaMeter synthetic model: choose another file name`, 409);
            }
            const needed = engine.syntheticBytes(shape, request.type);
            await fs.mkdir(modelsDir, {recursive: true});
            const free = await engine.freeBytes(modelsDir);
            if (free != null && needed + diskMarginBytes > free + (existing?.size ?? 0)) {
                throw new ApiError(
                    `not enough disk space for a ${request.shape} ${request.type} model: it needs ${formatBytes(needed)}, ` +
                    `${formatBytes(free)} is free in ${modelsDir}`, 507
                );
            }
            const jobId = randomUUID();
            const controller = new AbortController();
            synthJobs.set(jobId, {controller, outPath});
            void runSynth(jobId, request.shape, request.type, outPath, controller);
            return {jobId};
        },

        async defaultPlan(input) {
            const {models, ...choice} = parse("defaultPlan", input);
            const chosen: string[] = [];
            for (const model of models ?? [])
                chosen.push(await checkModelForRun(model));
            return await answer(() => meter.plan(chosen, choice));
        },

        async startBench(input) {
            const spec = parse("startBench", input);
            // Counted before anything is expanded: the schema caps each list, not their product.
            await answer(() => meter.check(spec), "startBench: ");
            const models: string[] = [];
            for (const model of spec.models)
                models.push(await checkModelForRun(model));
            // A device that does not exist is refused now, not as the run's failure.
            if (spec.gpuDevice != null)
                await answer(async () => meter.gpu(await hardware("skip").catch(() => null), spec));
            // One run at a time: two sweeps sharing the cores would each measure the other.
            if (runs.size > 0 || meter.running)
                throw new ApiError("a benchmark is already running: cancel it or wait for it to finish", 409);
            if (options.signal?.aborted)
                throw new ApiError("LlamaMeter is shutting down", 503);
            const runId = randomUUID();
            const controller = new AbortController();
            runs.set(runId, controller);
            void runBench(runId, {...spec, models}, controller);
            return {runId};
        },

        async estimateSweep(input) {
            const spec = parse("estimateSweep", input);
            const models: string[] = [];
            for (const model of spec.models)
                models.push(await checkModelForRun(model));
            return await answer(() => meter.estimate({...spec, models}));
        },

        async cancelBench(input) {
            const {runId} = parse("cancelBench", input);
            const controller = runs.get(runId);
            if (controller == null || controller.signal.aborted)
                return {cancelled: false};
            controller.abort();
            return {cancelled: true};
        },

        async listHistory() {
            return await meter.history();
        },

        async exportResults(input) {
            const request = parse("exportResults", input);
            const {fileName, mime, content} = buildExport(request, await meter.history());
            return {fileName, mime, content};
        },

        async importCsv(input): Promise<ImportSummary> {
            const {text} = parse("importCsv", input);
            return await answer(() => meter.importIntoHistory(text, options.signal));
        },

        async predict(input): Promise<PredictResult> {
            const request = parse("predict", input);
            if (request.modelPath != null)
                request.modelPath = await guard.check(request.modelPath);
            return await answer(() => meter.predict(request));
        },

        async referenceMachines() {
            return meter.referenceMachines();
        }
    };

    if (options.chooseModelFiles != null) {
        const chooseModelFiles = options.chooseModelFiles;
        handlers.pickModelFiles = async () => {
            const files = await chooseModelFiles();
            const entries: ModelEntry[] = [];
            for (const file of files) {
                // The user picked it in the native dialog: that is the permission to use it.
                guard.allowFile(file);
                entries.push(await describeModel(path.resolve(file), "added"));
            }
            return entries;
        };
    }

    if (options.chooseSavePath != null) {
        const chooseSavePath = options.chooseSavePath;
        handlers.saveExport = async (input) => {
            const request = parse("saveExport", input);
            const built = buildExport(request, await meter.history());
            const target = await chooseSavePath({
                fileName: built.fileName, extension: built.extension, formatName: request.format.toUpperCase()
            });
            if (target == null)
                return {path: null};
            await fs.writeFile(target, built.content, "utf8");
            return {path: target};
        };
    }

    return handlers;
}

