// The engine service: the one place that owns planning defaults, the default model, the hardware cache and the
// run pipeline (check, plan, write the default model, run, annotate with the ceiling, append to the history).
// The CLI and the API handlers only parse their input, call this and print or send the answer, so the two
// front ends cannot plan or run differently (hyperfine's scheduler owns its run the same way; its main only
// builds options).
import fs from "node:fs/promises";
import path from "node:path";
import {randomUUID} from "node:crypto";
import type {BenchEvent, FitVerdict, HardwareProfile, ImportSummary, ModelInfo, PredictRequest, PredictResult, ReferenceMachineRow, SweepSpec, TestResult} from "./types.js";
import {engineFunctions, type EngineFunctions} from "./engineFunctions.js";
import {sweepSpecSchema} from "./bench/sweepSpecSchema.js";
import {assertSweepSize} from "./bench/expandSweep.js";
import type {EstimateModel, SweepEstimate} from "./bench/estimateSweep.js";
import type {WorkerSpawner} from "./bench/BenchWorkerClient.js";
import type {BinaryChoice} from "./llama/llamaBinaryOptions.js";
import {physicalCoresOf} from "./hardware/physicalCoresOf.js";
import {bandwidthForThreads} from "./ceiling/ceiling.js";
import {resolveGpuChoice, type GpuChoice, type ResolvedGpuChoice} from "./bench/resolveGpuChoice.js";
import {DEFAULT_MODEL} from "./models/discoverModels.js";
import {defaultConvertedDir} from "./models/ensureGguf.js";
import {oneLine} from "./oneLine.js";

/** How the user lets a sweep run beyond the sweep itself (whose GPU device, bandwidth and VRAM budget are
 *  SweepSpec fields, the same from the CLI's flags and the app's Advanced panel). */
export interface MachineChoice {
    /** Never load a GPU backend. */
    cpu?: boolean,
    binary?: BinaryChoice,
    /** The native engine's llama-bench, when the user names one. */
    llamaBench?: string,
    /** Grouped-query attention factor for legacy ggjt files (8 for LLaMA-2 70B). */
    gqa?: number
}

export interface CreateLlamaMeterOptions {
    /** Model folders; the first is where the built-in default model and synthetic models are written. */
    modelsDirs: string[],
    /** The results history (append-only JSON lines). */
    resultsFile: string,
    /** Measure memory bandwidth when the hardware is first asked for (a few seconds, once). Default "measure". */
    bandwidth?: "measure" | "skip",
    /** How bench workers are started (Electron: utilityProcess); default Node's fork. */
    spawner?: WorkerSpawner,
    /** The engine functions; unit tests pass fakes. */
    functions?: Partial<EngineFunctions>
}

/** A sweep was asked for while another runs: two sweeps sharing the cores would each measure the other. */
export class BusyError extends Error {}

export interface RunOptions {
    runId?: string,
    signal?: AbortSignal,
    onEvent?: (event: BenchEvent) => void,
    choice?: MachineChoice
}


export interface LlamaMeter {
    readonly functions: EngineFunctions,
    /** Where the built-in default model lives (written by the first run that uses it). */
    readonly defaultModelPath: string,
    readonly modelsDir: string,
    readonly resultsFile: string,
    readonly store: ReturnType<EngineFunctions["createStore"]>,
    /** The hardware profile, cached; the bandwidth is never probed while a sweep runs (they would disturb each other). */
    hardware(options?: {bandwidth?: "measure" | "skip"}): Promise<HardwareProfile>,
    /** Forgets the measured bandwidth and measures it again; refused while a sweep runs. */
    measureBandwidthAgain(): Promise<HardwareProfile>,
    /** The GPU choice (device, bandwidth, VRAM budget, --cpu) on this machine: one rule for every front end; a device
     *  that does not exist is a one-line error naming those that do. */
    gpu(hardware: HardwareProfile | null, choice?: GpuChoice): ResolvedGpuChoice | null,
    /** The models a sweep uses when none are named: the models folder's readable GGUF files, else the built-in default. */
    defaultModels(signal?: AbortSignal): Promise<string[]>,
    /** The one-click plan for these models (default: defaultModels) on this machine, with the GPU choice in it. */
    plan(models?: readonly string[], choice?: GpuChoice): Promise<SweepSpec>,
    /** Checks a sweep (each list, then their product); throws one line. */
    check(spec: SweepSpec): SweepSpec,
    /** What the sweep will cost, with its warnings; runs nothing. */
    estimate(spec: SweepSpec, choice?: MachineChoice): Promise<SweepEstimate>,
    /** Whether a sweep is running. */
    readonly running: boolean,
    /** Runs a sweep: writes the default model if the sweep uses it, runs every test, annotates each row with its
     *  ceiling and appends it to the history at once. One sweep at a time (BusyError). */
    run(spec: SweepSpec, options?: RunOptions): Promise<TestResult[]>,
    /** The model's inspection, kept while its size and mtime stay the same. */
    inspect(file: string): Promise<ModelInfo>,
    fit(model: ModelInfo): Promise<FitVerdict | null>,
    predict(request: PredictRequest): Promise<PredictResult>,
    referenceMachines(): ReferenceMachineRow[],
    history(): Promise<TestResult[]>,
    /** Reads an import and appends its new rows to the history, tagged with where they came from. */
    importIntoHistory(text: string, signal?: AbortSignal): Promise<ImportSummary>
}

export function createLlamaMeter(options: CreateLlamaMeterOptions): LlamaMeter {
    if (options.modelsDirs.length === 0)
        throw new Error("createLlamaMeter: at least one models folder is needed");
    const functions: EngineFunctions = {...engineFunctions, ...options.functions};
    const modelsDir = path.resolve(options.modelsDirs[0]!);
    const defaultModelPath = path.join(modelsDir, functions.defaultModelFile);
    const store = functions.createStore(options.resultsFile);
    let runs = 0;
    let importing = false;
    // Inspections by path, kept while the file's size and mtime stay the same: the model list, the default
    // models and the estimate all ask for the same files.
    const inspected = new Map<string, {mtimeMs: number, size: number, info: ModelInfo}>();

    async function hardware({bandwidth}: {bandwidth?: "measure" | "skip"} = {}): Promise<HardwareProfile> {
        return await functions.getHardwareProfile({modelsDir, bandwidth: runs > 0 ? "skip" : bandwidth ?? options.bandwidth ?? "measure"});
    }

    /** For plans and fit verdicts, which need cores and memory sizes but not the bandwidth. */
    async function quickHardware(): Promise<HardwareProfile | null> {
        return await hardware({bandwidth: "skip"}).catch(() => null);
    }

    const meter: LlamaMeter = {
        functions, defaultModelPath, modelsDir, resultsFile: options.resultsFile, store,
        hardware,

        async measureBandwidthAgain() {
            if (runs > 0)
                throw new BusyError("a benchmark is running: measure the bandwidth again when it has finished");
            functions.clearHardwareCache();
            return await hardware({bandwidth: "measure"});
        },

        gpu(profile, choice = {}) {
            if (profile == null && choice.gpuDevice != null)
                throw new Error("the hardware could not be detected, so no GPU device can be chosen");
            return profile != null ? resolveGpuChoice(profile, choice) : null;
        },

        async defaultModels(signal) {
            const found = await functions.discoverModels({dirs: [{path: modelsDir, origin: "models"}], ...(signal != null ? {signal} : {})});
            // Only files that read as models: a one-click plan of a broken file would measure nothing (the Models
            // list still shows it, with its reason). None readable: the built-in model.
            const readable: string[] = [];
            for (const model of found)
                if (await meter.inspect(model.path).then(() => true, () => false))
                    readable.push(model.path);
            return readable.length > 0 ? readable : [defaultModelPath];
        },

        async plan(models, choice = {}) {
            const chosen = models != null && models.length > 0 ? [...models] : await meter.defaultModels();
            const hw = await quickHardware();
            const gpu = meter.gpu(hw, choice);
            // With a GPU, one model's plan sweeps the layers it offloads in quarters, up to the largest count that fits.
            const machine = hw != null && gpu != null ? await functions.planMachine({hardware: hw, models: chosen, gpu})
                : {physicalCores: physicalCoresOf(hw), hasGpu: false};
            return {...functions.defaultPlan(machine, chosen), ...gpuFields(choice)};
        },

        check(spec) {
            // The product first: it names the count, which says more than a list's length.
            assertSweepSize(spec);
            const parsed = sweepSpecSchema.safeParse(spec);
            if (!parsed.success) {
                const issue = parsed.error.issues[0]!;
                throw new Error(`the sweep is not valid: ${issue.path.join(".") || "spec"}: ${issue.message}`);
            }
            return parsed.data;
        },

        async estimate(spec, choice) {
            const checked = meter.check(spec);
            const models = new Map<string, EstimateModel>();
            for (const file of new Set(checked.models)) {
                // An unreadable file adds nothing: its test fails in milliseconds, and the run says why.
                const info = await meter.inspect(file).catch(() => null);
                if (info != null)
                    models.set(file, {fileBytes: info.fileBytes, nLayer: info.nLayer});
                else if (file === defaultModelPath) {
                    // Not written yet: the run writes it first, at the size its shape and type give.
                    const shape = functions.resolveShape(DEFAULT_MODEL.shape);
                    models.set(file, {fileBytes: functions.syntheticBytes(shape, DEFAULT_MODEL.type), nLayer: shape.nLayer});
                }
            }
            const hw = await quickHardware();
            return functions.estimateSweep(checked, {
                models,
                physicalCores: physicalCoresOf(hw),
                hasGpu: meter.gpu(hw, {...gpuFields(checked), ...(choice?.cpu === true ? {cpu: true} : {})})?.hasGpu ?? false,
                // the ceiling's rule: never below the 1-thread figure (under load the all-cores reading can fall below it)
                bandwidthGBs: bandwidthForThreads(hw?.bandwidth.value, physicalCoresOf(hw)),
                history: await store.readAll().catch(() => []),
                ...(hw?.cpu.brand.value != null ? {cpu: hw.cpu.brand.value} : {})
            });
        },

        get running() {
            return runs > 0;
        },

        async run(spec, {runId = randomUUID(), signal, onEvent, choice = {}} = {}) {
            const checked = meter.check(spec);
            if (runs > 0)
                throw new BusyError("a benchmark is already running: cancel it or wait for it to finish");
            runs++;
            try {
                if (checked.models.includes(defaultModelPath))
                    await writeDefaultModel(signal, onEvent);
                const gpu = meter.gpu(await hardware().catch(() => null), {...gpuFields(checked), ...(choice.cpu === true ? {cpu: true} : {})});
                return await functions.runSweep(checked, {
                    runId,
                    store,
                    convertedDir: defaultConvertedDir(options.resultsFile),
                    gpu: choice.cpu === true ? "cpu" : "auto",
                    ...(signal != null ? {signal} : {}),
                    ...(onEvent != null ? {onEvent} : {}),
                    ...(gpu != null ? {hardware: gpu.hardware, annotate: functions.annotate} : {}),
                    ...(choice.binary != null ? {binary: choice.binary} : {}),
                    ...(choice.llamaBench != null ? {llamaBench: {explicitPath: choice.llamaBench}} : {}),
                    ...(choice.gqa != null ? {gqa: choice.gqa} : {}),
                    ...(gpu?.gpuDevice != null ? {gpuDevice: gpu.gpuDevice} : {}),
                    ...(gpu?.vramBudgetBytes != null ? {vramBudgetBytes: gpu.vramBudgetBytes} : {}),
                    ...(options.spawner != null ? {spawner: options.spawner} : {})
                });
            } finally {
                runs--;
            }
        },

        async inspect(file) {
            const stat = await fs.stat(file);
            const cached = inspected.get(file);
            if (cached != null && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size)
                return cached.info;
            const info = await functions.inspectModel(file);
            inspected.set(file, {mtimeMs: stat.mtimeMs, size: stat.size, info});
            return info;
        },

        async fit(model) {
            const hw = await quickHardware();
            // a verdict is a bonus; the model is still listed without one
            return hw == null ? null : await functions.fitModel(model, hw).catch(() => null);
        },

        async predict(request) {
            return await functions.predict(request, await hardware().catch(() => null));
        },

        referenceMachines: () => functions.referenceMachines(),

        history: () => store.readAll(),

        async importIntoHistory(text, signal) {
            // One import at a time: each reads the history to skip rows it already has.
            if (importing)
                throw new BusyError("an import is already running: wait for it to finish");
            importing = true;
            try {
                let read;
                try {
                    read = await functions.importResults(text, signal != null ? {signal} : {});
                } catch (err) {
                    throw new Error(`could not import the file: ${oneLine(err)}`);
                }
                const known = await store.readIds();
                const at = new Date().toISOString();
                const fresh: TestResult[] = [];
                for (const row of read.rows) {
                    if (known.has(row.id))
                        continue;
                    known.add(row.id);
                    fresh.push({...row, imported: {format: read.format, at}});
                }
                await store.appendMany(fresh);
                const duplicates = read.rows.length - fresh.length;
                const parts = [`${fresh.length} imported`];
                if (duplicates > 0)
                    parts.push(`${duplicates} duplicate${duplicates === 1 ? "" : "s"} skipped`);
                if (read.skippedMixed > 0)
                    parts.push(`${read.skippedMixed} llama-bench pg test${read.skippedMixed === 1 ? "" : "s"} skipped (one rate over prompt and generation)`);
                return {format: read.format, imported: fresh.length, duplicates, skipped: read.skippedMixed, message: parts.join(", ")};
            } finally {
                importing = false;
            }
        }
    };

    /** The built-in model is written on first use (about 640 MB): shown as the run's first step. */
    async function writeDefaultModel(signal: AbortSignal | undefined, onEvent: RunOptions["onEvent"]) {
        let lastPercent = -1;
        await functions.ensureDefaultModel({
            modelsDir,
            ...(signal != null ? {signal} : {}),
            onProgress: (written, total) => {
                const percent = Math.floor(written / total * 100);
                if (percent === lastPercent)
                    return;
                lastPercent = percent;
                onEvent?.({type: "progress", done: 0, total: 1, etaMs: null, message: `writing the built-in default model (1B Q4_0, random weights): ${percent}%`});
            }
        });
    }

    return meter;
}

/** A sweep's GPU choice: the device, the user's GPU bandwidth and the VRAM budget, where given. */
function gpuFields(from: GpuChoice): Pick<SweepSpec, "gpuDevice" | "gpuBandwidthGBs" | "vramBudgetBytes"> {
    return {
        ...(from.gpuDevice != null ? {gpuDevice: from.gpuDevice} : {}),
        ...(from.gpuBandwidthGBs != null ? {gpuBandwidthGBs: from.gpuBandwidthGBs} : {}),
        ...(from.vramBudgetBytes != null ? {vramBudgetBytes: from.vramBudgetBytes} : {})
    };
}
