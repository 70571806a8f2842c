// What a sweep will cost before it runs: "≈ 4 min, 2 model loads, 1.27 GiB read", and the settings worth a
// second look (threads above the physical cores, GPU layers with no GPU, more layers than the model has).
// Plain arithmetic over the sweep, the models' sizes, the machine and earlier rows; runs nothing. The CLI's
// `bench --dry-run` and the UI's plan summary both print this one estimate.
import {formatBytes} from "../formatBytes.js";
import type {SweepSpec, TestResult} from "../types.js";
import {expandSweep, loadKey, type PlannedTest} from "./expandSweep.js";
import {median} from "./stats.js";
import {isBusyRow} from "../ceiling/busyMachine.js";
import {isQuantizedKvType} from "./kvCacheTypeProblem.js";
import {threadProbeKey, threadProbeRuns} from "./threadProbeRuns.js";

/** What the estimate needs to know of each model file. */
export interface EstimateModel {
    fileBytes: number,
    nLayer: number
}

export interface EstimateSweepOptions {
    /** Model path -> size and layer count; a model missing here (unreadable) adds no time and no bytes. */
    models: ReadonlyMap<string, EstimateModel>,
    physicalCores: number | null,
    /** Whether llama.cpp can offload layers here (a GPU backend in use). */
    hasGpu: boolean,
    /** Measured all-cores read bandwidth, GB/s: the generation rate's upper bound when no earlier row says more. */
    bandwidthGBs: number | null,
    /** Earlier rows (the results history): their measured rates, scaled by model size, time this sweep. */
    history?: readonly TestResult[],
    /** This machine's CPU name: only rows that ran on it time the sweep (imports from elsewhere do not). */
    cpu?: string
}

/** Where the time estimate comes from. */
export type EstimateBasis =
    /** Rates measured here earlier on models of a similar size (at the same thread count where possible). */
    | "history"
    /** For some model no comparable earlier row: its generation at the bandwidth ceiling, its prompt not
     *  counted; a lower bound. */
    | "ceiling"
    /** Neither rows nor a measured bandwidth. */
    | "unknown";

export interface SweepEstimate {
    tests: number,
    /** Timed passes: each test's repetitions plus its warm-up. */
    passes: number,
    /** Model loads: one per change of (model, mmap, GPU layers) in the run order. */
    modelLoads: number,
    /** Bytes read from disk by those loads (the files' sizes; the page cache may serve repeats). */
    bytesRead: number,
    /** Wall-clock estimate; null when neither earlier rows nor the bandwidth give a rate. */
    estimatedMs: number | null,
    /** Thread probes `threads: auto` runs (one per model load and context setting), and their share of
     *  estimatedMs (0 when there are none or the time is unknown). */
    threadProbes: number,
    threadProbeMs: number,
    basis: EstimateBasis,
    /** One line each; none of them blocks the run. */
    warnings: string[],
    /** Models the estimate could not size (unreadable files): their tests are not counted in the time. */
    unknownModels: string[],
    /** "≈ 4 min, 2 model loads, 1.27 GiB read". */
    summary: string
}

/** Model bytes per second a finished row achieved, for scaling its rate to a model of another size. */
interface ByteRates {
    threads: number,
    fileBytes: number,
    tgBytesPerSecond: number | null,
    ppBytesPerSecond: number | null,
    loadBytesPerSecond: number | null
}

/**
 * Earlier rows time a model only when its size is within this factor of theirs: per-token and per-load
 * overheads do not scale with size (a 0.8 MiB model generated at 1238 t/s here, which scaled by size would
 * promise a 1B model 1.7 t/s; and its 254 ms load would promise the 1B model 3 minutes).
 */
const COMPARABLE_SIZE_FACTOR = 4;

/**
 * When no earlier load was timed: a model file read at 1 GB/s, a SATA SSD's order of magnitude (the page
 * cache makes a repeat load far faster, an HDD slower). Only the estimate uses it, never a result.
 */
const FALLBACK_LOAD_BYTES_PER_SECOND = 1e9;

/**
 * Per model load, beyond reading the file: a fresh worker process starting node-llama-cpp and llama.cpp's
 * backends. Here (2-core VM, tiny model) the load phase began 6.2-6.5 s after the test started.
 */
const PER_LOAD_OVERHEAD_MS = 6000;

/** Per test, beyond its timed passes: a new context and sampler (30-55 ms per tiny-model test here). */
const PER_TEST_OVERHEAD_MS = 50;

export function estimateSweep(spec: SweepSpec, options: EstimateSweepOptions): SweepEstimate {
    const tests = expandSweep(spec);
    // Rows of this machine whose figures are reliable (a busy machine's are not).
    const rates = byteRates((options.history ?? []).filter((row) => (options.cpu == null || row.env.cpu === options.cpu) && !isBusyRow(row)));
    let basis: EstimateBasis = "history";

    let modelLoads = 0;
    let bytesRead = 0;
    let totalMs = 0;
    let probeMs = 0;
    const probed = new Set<string>();
    let previousKey: string | null = null;
    for (const config of tests) {
        const model = options.models.get(config.modelPath);
        const key = loadKey(config);
        const loads = key !== previousKey;
        previousKey = key;
        if (loads) {
            modelLoads++;
            bytesRead += model?.fileBytes ?? 0;
        }
        if (model == null)
            continue;
        const timed = [testMs(config, model, loads, rates, options.bandwidthGBs)];
        // "auto" threads: the first test of a load runs the probe first, short generations at each count
        // (on a 2-core machine 4 runs, each with its warm-up), on the worker that then runs the tests.
        // Unknown cores: the run takes the machine's count; here no probe can be timed.
        const probeRuns = config.threads === "auto" && !probed.has(threadProbeKey(config)) ? threadProbeRuns(config, options.physicalCores ?? 1) : [];
        if (probeRuns.length > 0) {
            probed.add(threadProbeKey(config));
            const runs = probeRuns.map((run) => testMs(run, model, false, rates, options.bandwidthGBs));
            probeMs += runs.reduce((sum, run) => sum + run.ms, 0);
            timed.push(...runs);
        }
        for (const test of timed) {
            if (test.basis === "unknown" || basis === "unknown")
                basis = "unknown";
            else if (test.basis === "ceiling")
                basis = "ceiling";
            totalMs += test.ms;
        }
    }

    const passes = tests.reduce((sum, test) => sum + test.reps + 1, 0);
    const estimatedMs = basis === "unknown" ? null : Math.round(totalMs);
    const warnings = sweepWarnings(spec, options);
    const time = estimatedMs == null ? "time unknown (no earlier run and no measured bandwidth)"
        : formatMinutes(estimatedMs, basis === "ceiling" ? "≥" : "≈");
    const unknownModels = [...new Set(spec.models)].filter((model) => !options.models.has(model));
    const probes = probed.size;
    const probeText = probes === 0 ? ""
        : `, ${probes} thread probe${probes === 1 ? "" : "s"}` + (estimatedMs != null ? ` (${formatMinutes(probeMs, basis === "ceiling" ? "≥" : "≈")} of it)` : "");
    const summary = `${time}, ${modelLoads} model load${modelLoads === 1 ? "" : "s"}, ${formatBytes(bytesRead)} read${probeText}` +
        (unknownModels.length > 0 ? ` (not counting ${unknownModels.map((model) => model.split(/[\\/]/).pop()).join(", ")}: unreadable)` : "");
    return {
        tests: tests.length, passes, modelLoads, bytesRead, estimatedMs,
        threadProbes: probes, threadProbeMs: estimatedMs == null ? 0 : Math.round(probeMs),
        basis, warnings, unknownModels, summary
    };
}

/** The settings in a sweep that will not do what they say, or will slow the run down. */
export function sweepWarnings(spec: SweepSpec, options: Pick<EstimateSweepOptions, "models" | "physicalCores" | "hasGpu">): string[] {
    const warnings: string[] = [];
    const cores = options.physicalCores;
    const over = cores != null ? [...new Set(spec.threads.filter((threads) => threads !== "auto" && threads > cores))] : [];
    if (over.length > 0 && cores != null)
        // README: on a 2-core VM, 4 threads ran a 1B Q4_0 model at 2,291 ms/token against 25 ms/token with 2.
        warnings.push(`threads ${over.join(", ")} above the ${cores} physical core${cores === 1 ? "" : "s"}: extra threads share cores and often slow generation many times over`);
    const offloaded = [...new Set(spec.gpuLayers.filter((layers) => layers === "max" || layers > 0))];
    if (!options.hasGpu && offloaded.length > 0)
        warnings.push(`GPU layers ${offloaded.join(", ")} with no GPU backend here: every layer runs on the CPU, so these tests repeat the 0-layer ones`);
    const refusedV = [...new Set((spec.cacheTypeV ?? []).filter(isQuantizedKvType))];
    if (refusedV.length > 0 && spec.flashAttention.includes(false))
        warnings.push(`V cache ${refusedV.join(", ")} with flash attention off: llama.cpp refuses a quantized V cache without it, ` +
            "so those tests are error rows, refused before loading (use -fa 1)");
    const overBatch = [...new Set((spec.ubatchSizes ?? []).filter((ubatch) => ubatch > Math.min(...spec.batchSizes)))];
    if (overBatch.length > 0)
        warnings.push(`micro-batch ${overBatch.join(", ")} above batch ${Math.min(...spec.batchSizes)}: llama.cpp caps the micro-batch at the batch`);
    for (const modelPath of new Set(spec.models)) {
        const model = options.models.get(modelPath);
        if (model == null)
            continue;
        const above = [...new Set(spec.gpuLayers.filter((layers): layers is number => layers !== "max" && layers > model.nLayer))];
        if (above.length > 0)
            warnings.push(`GPU layers ${above.join(", ")} above ${modelPath.split(/[\\/]/).pop()}'s ${model.nLayer} layers: the same as max`);
    }
    return warnings;
}

function testMs(config: PlannedTest, model: EstimateModel, loads: boolean, rates: readonly ByteRates[], bandwidthGBs: number | null): {ms: number, basis: EstimateBasis} {
    const passes = config.reps + 1;
    const comparable = rates.filter((rate) => rate.fileBytes <= model.fileBytes * COMPARABLE_SIZE_FACTOR && rate.fileBytes * COMPARABLE_SIZE_FACTOR >= model.fileBytes);
    // "auto" threads are chosen by a probe: any thread count's rows can tell
    const near = comparable.filter((rate) => rate.threads === config.threads);
    const pool = near.length > 0 ? near : comparable;
    // A generated token reads the whole model once, so model bytes / rate carries across similar sizes.
    const tgBytes = medianKnown(pool.map((rate) => rate.tgBytesPerSecond));
    const ppBytes = medianKnown(pool.map((rate) => rate.ppBytesPerSecond));
    const loadBytes = medianKnown(comparable.map((rate) => rate.loadBytesPerSecond)) ?? FALLBACK_LOAD_BYTES_PER_SECOND;
    const ceilingBytes = bandwidthGBs != null && bandwidthGBs > 0 ? bandwidthGBs * 1e9 : null;
    const basis: EstimateBasis = tgBytes != null ? "history" : ceilingBytes != null ? "ceiling" : "unknown";
    const tgRate = (tgBytes ?? ceilingBytes ?? 0) / model.fileBytes;
    // Prompt tokens share each weight read: no bandwidth bound for them, so left out of a lower bound.
    const ppRate = (ppBytes ?? 0) / model.fileBytes;
    const tgMs = tgRate > 0 ? config.nGen / tgRate * 1000 : 0;
    const ppMs = ppRate > 0 ? config.nPrompt / ppRate * 1000 : 0;
    // The depth is filled once per test, untimed, at about the prompt rate.
    const depthMs = ppRate > 0 ? (config.nDepth ?? 0) / ppRate * 1000 : 0;
    const loadMs = loads ? model.fileBytes / loadBytes * 1000 + PER_LOAD_OVERHEAD_MS : 0;
    return {ms: passes * (tgMs + ppMs) + depthMs + loadMs + PER_TEST_OVERHEAD_MS, basis};
}

function byteRates(history: readonly TestResult[]): ByteRates[] {
    const rates: ByteRates[] = [];
    for (const row of history) {
        const bytes = row.model?.fileBytes;
        if (row.status !== "ok" || bytes == null || !(bytes > 0) || row.stats == null)
            continue;
        const perSecond = (tps: number) => Number.isFinite(tps) && tps > 0 ? tps * bytes : null;
        const rate: ByteRates = {
            threads: row.config.threads,
            fileBytes: bytes,
            tgBytesPerSecond: row.stats.tgTps.n > 0 ? perSecond(row.stats.tgTps.mean) : null,
            ppBytesPerSecond: row.stats.ppTps.n > 0 ? perSecond(row.stats.ppTps.mean) : null,
            // A load reused from an earlier test took no time of its own.
            loadBytesPerSecond: row.load != null && row.load.reused !== true && row.load.ms > 0 ? bytes / (row.load.ms / 1000) : null
        };
        if (rate.tgBytesPerSecond != null || rate.ppBytesPerSecond != null)
            rates.push(rate);
    }
    return rates;
}

function medianKnown(values: ReadonlyArray<number | null>): number | null {
    const known = values.filter((value): value is number => value != null);
    return known.length > 0 ? median(known) : null;
}

/** "≈ 20 s" under a minute, else "≈ 4 min" ("≥" for a lower bound). */
function formatMinutes(ms: number, sign: "≈" | "≥"): string {
    const seconds = Math.max(1, Math.round(ms / 1000));
    return seconds < 60 ? `${sign} ${seconds} s` : `${sign} ${Math.round(seconds / 60)} min`;
}
