// The memory-bandwidth probe: how many bytes/s this machine streams from DRAM, with one thread and with
// all physical cores at once. This is the bandwidth that bounds token generation (tokens/s <= bandwidth /
// bytes read per token), so the probe measures it rather than trusting spec sheets, which VMs hide.
import os from "node:os";
import {readFile} from "node:fs/promises";
import {Worker} from "node:worker_threads";
import si from "systeminformation";
import {BANDWIDTH_KERNELS, type BandwidthKernel, type BandwidthMeasurement, type BandwidthSpread} from "../types.js";
import {startBackgroundLoad, waitForQuietCpu} from "../bench/backgroundLoad.js";
import {computeStats} from "../bench/stats.js";
import {BUSY_MACHINE_CORES} from "../ceiling/busyMachine.js";
import {bandwidthWorkerSource, CONTROL} from "./bandwidthWorkerSource.js";

export interface MeasureBandwidthOptions {
    /** Threads for the all-cores run. Default: physical cores (systeminformation), else logical CPUs. */
    threads?: number,
    /** Bytes the single thread streams through. Default: 4 x the last-level cache, within 256 MiB..1 GiB,
     *  so the cache cannot hold it. In the all-cores run the other threads add their share of it
     *  (bufferBytes / threads, at least 16 MiB each), so the whole stays far above the cache without
     *  a many-core machine allocating gigabytes. Each buffer has a same-sized copy destination. */
    bufferBytes?: number,
    /** Length of one timed window, ms (default 250). */
    windowMs?: number,
    /** Quiet windows wanted per kernel and thread count; the best quiet one is kept (default 3). Every window's
     *  figure is reported in `spread`. */
    repetitions?: number,
    /** At the start, wait up to this long for other processes to quieten down (default 3000 ms). */
    quietWaitMs?: number,
    signal?: AbortSignal
}

const MiB = 1024 * 1024;
const CHUNK_BYTES = 8 * MiB;
const MIN_SHARE_BYTES = 16 * MiB;

interface WindowReport {
    generation: number,
    startNs: string,
    endNs: string,
    bytes: number
}

/** Measures read and copy bandwidth (GB = 1e9 bytes) with 1 thread and with `threads` threads at once.
 *  Copy counts read + write bytes (2 x the bytes copied), as STREAM does. */
export async function measureBandwidth(options: MeasureBandwidthOptions = {}): Promise<BandwidthMeasurement> {
    const {signal} = options;
    signal?.throwIfAborted();
    const started = performance.now();
    const threads = Math.max(1, Math.floor(options.threads ?? await defaultThreads()));
    const requestedBytes = options.bufferBytes ?? await defaultBufferBytes();
    // Whole chunks only; at least 2 chunks so a pass is more than one call.
    const bufferBytes = Math.max(2 * CHUNK_BYTES, Math.floor(requestedBytes / CHUNK_BYTES) * CHUNK_BYTES);
    const windowMs = Math.max(20, options.windowMs ?? 250);
    const repetitions = Math.max(1, Math.floor(options.repetitions ?? 3));
    const quietWaitMs = Math.max(0, options.quietWaitMs ?? 3000);

    const control = new SharedArrayBuffer(CONTROL.LENGTH * Int32Array.BYTES_PER_ELEMENT);
    const ctl = new Int32Array(control);
    const workers: Worker[] = [];
    const pending = new Map<number, Array<(report: WindowReport) => void>>();
    let failure: Error | null = null;
    const failureListeners = new Set<(error: Error) => void>();
    const fail = (error: Error) => {
        failure ??= error;
        for (const listener of failureListeners)
            listener(error);
    };

    try {
        const shareBytes = Math.max(MIN_SHARE_BYTES, Math.ceil(bufferBytes / threads / CHUNK_BYTES) * CHUNK_BYTES);
        for (let index = 0; index < threads; index++) {
            const worker = new Worker(bandwidthWorkerSource, {
                eval: true,
                workerData: {index, bytes: index === 0 ? bufferBytes : shareBytes, chunkBytes: CHUNK_BYTES, control}
            });
            worker.on("message", (report: WindowReport) => {
                const queue = pending.get(index);
                queue?.shift()?.(report);
            });
            worker.on("error", (error) => fail(error));
            worker.on("exit", (code) => {
                if (code !== 0 && Atomics.load(ctl, CONTROL.EXIT) === 0)
                    fail(new Error(`bandwidth worker ${index} exited with code ${code}`));
            });
            workers.push(worker);
        }
        await waitForReady(ctl, threads, signal, () => failure);

        const runWindow = async (kind: "read" | "copy", participants: number): Promise<number> => {
            Atomics.store(ctl, CONTROL.STOP, 0);
            Atomics.store(ctl, CONTROL.KIND, kind === "copy" ? 1 : 0);
            Atomics.store(ctl, CONTROL.PARTICIPANTS, participants);
            const reports = Array.from({length: participants}, (_, index) => new Promise<WindowReport>((resolve, reject) => {
                const queue = pending.get(index) ?? [];
                queue.push(resolve);
                pending.set(index, queue);
                failureListeners.add(reject);
            }));
            const all = Promise.all(reports);
            // Handled below; this only keeps an abort during the window from leaving it unhandled.
            all.catch(() => undefined);
            if (failure != null)
                throw failure;
            // One generation bump releases every participant together.
            Atomics.add(ctl, CONTROL.GENERATION, 1);
            Atomics.notify(ctl, CONTROL.GENERATION);
            await sleep(windowMs, signal);
            Atomics.store(ctl, CONTROL.STOP, 1);
            const done = await all;
            failureListeners.clear();
            // Aggregate bytes over the common wall window: first start to last end across threads.
            const start = done.reduce((min, report) => (BigInt(report.startNs) < min ? BigInt(report.startNs) : min), BigInt(done[0]!.startNs));
            const end = done.reduce((max, report) => (BigInt(report.endNs) > max ? BigInt(report.endNs) : max), BigInt(done[0]!.endNs));
            const bytes = done.reduce((sum, report) => sum + report.bytes, 0);
            const seconds = Number(end - start) / 1e9;
            return seconds > 0 ? bytes / seconds / 1e9 : 0;
        };

        // A neighbour's burst only ever slows a window down (on 2 cores it halves the all-cores figure), so
        // start on a quiet machine when one comes soon, time each window's background load, and take the best
        // quiet window: the figure then moves with the machine, not with what else happened to run.
        const waitForQuiet = (timeoutMs: number) => timeoutMs <= 0 ? Promise.resolve()
            : waitForQuietCpu({maxCores: BUSY_MACHINE_CORES, windowMs: 250, timeoutMs, ...(signal != null ? {signal} : {})})
                // an abort rejects with the caller's reason, as the rest of the probe does
                .then(() => undefined, (error: unknown) => { signal?.throwIfAborted(); throw error; });
        await waitForQuiet(quietWaitMs);
        const windows = Object.fromEntries(BANDWIDTH_KERNELS.map((kernel) => [kernel, [] as TimedWindow[]])) as Record<BandwidthKernel, TimedWindow[]>;
        const timeWindow = async (kernel: BandwidthKernel) => {
            const load = startBackgroundLoad();
            const gbs = await runWindow(kernel.startsWith("copy") ? "copy" : "read", kernel.endsWith("All") ? threads : 1);
            windows[kernel].push({gbs, backgroundCores: load()});
        };
        const quiet = (kernel: BandwidthKernel) => windows[kernel].filter(isQuiet).length;
        // Interleave the kernels so a passing disturbance does not hit one of them only. After the planned
        // rounds, a kernel with fewer than `repetitions` quiet windows gets more, each after a wait for quiet,
        // up to as many rounds again: a busy machine costs a few seconds more, never an endless probe.
        for (let round = 0; round < 2 * repetitions; round++) {
            const wanted = round < repetitions ? [...BANDWIDTH_KERNELS] : BANDWIDTH_KERNELS.filter((kernel) => quiet(kernel) < repetitions);
            if (wanted.length === 0)
                break;
            if (round >= repetitions)
                await waitForQuiet(1000);
            for (const kernel of wanted)
                await timeWindow(kernel);
        }
        if (failure != null)
            throw failure;

        const spread = Object.fromEntries(BANDWIDTH_KERNELS.map((kernel) => [kernel, spreadOf(windows[kernel])])) as Record<BandwidthKernel, BandwidthSpread>;
        const figure = (kernel: BandwidthKernel) => {
            const quietOnes = windows[kernel].filter(isQuiet);
            return round3(Math.max(...(quietOnes.length > 0 ? quietOnes : windows[kernel]).map((window) => window.gbs)));
        };
        const loads = BANDWIDTH_KERNELS.flatMap((kernel) => windows[kernel].map((window) => window.backgroundCores));
        const knownLoads = loads.filter((load): load is number => load != null);
        return {
            read1GBs: figure("read1"),
            readAllGBs: figure("readAll"),
            copy1GBs: figure("copy1"),
            copyAllGBs: figure("copyAll"),
            threads,
            bufferBytes,
            durationMs: Math.round(performance.now() - started),
            spread,
            backgroundCores: knownLoads.length === loads.length && loads.length > 0
                ? round3(knownLoads.reduce((sum, load) => sum + load, 0) / knownLoads.length) : null
        };
    } finally {
        Atomics.store(ctl, CONTROL.STOP, 1);
        Atomics.store(ctl, CONTROL.EXIT, 1);
        Atomics.add(ctl, CONTROL.GENERATION, 1);
        Atomics.notify(ctl, CONTROL.GENERATION);
        await Promise.all(workers.map((worker) => worker.terminate()));
    }
}

interface TimedWindow {
    gbs: number,
    /** Other processes' load during the window, cores (null without /proc). */
    backgroundCores: number | null
}

/** Without /proc nothing says a window was disturbed: every window counts as quiet. */
function isQuiet(window: TimedWindow): boolean {
    return window.backgroundCores == null || window.backgroundCores < BUSY_MACHINE_CORES;
}

function spreadOf(windows: readonly TimedWindow[]): BandwidthSpread {
    const stats = computeStats(windows.map((window) => window.gbs));
    return {
        windowsGBs: windows.map((window) => round3(window.gbs)),
        backgroundCores: windows.map((window) => window.backgroundCores != null ? round3(window.backgroundCores) : null),
        quietWindows: windows.filter(isQuiet).length,
        min: round3(stats.min),
        median: round3(stats.median),
        max: round3(stats.max),
        relative: stats.max > 0 ? round3((stats.max - stats.min) / stats.max) : 0
    };
}

async function defaultThreads(): Promise<number> {
    try {
        const cpu = await si.cpu();
        if (cpu.physicalCores > 0)
            return cpu.physicalCores;
    } catch {
        // fall through to the logical count
    }
    return os.availableParallelism();
}

/** 4 x the last-level cache (so it cannot be served from cache), clamped to 256 MiB..1 GiB. */
async function defaultBufferBytes(): Promise<number> {
    const llc = await lastLevelCacheBytes();
    const wanted = llc != null ? 4 * llc : 256 * MiB;
    return Math.min(1024 * MiB, Math.max(256 * MiB, wanted));
}

async function lastLevelCacheBytes(): Promise<number | null> {
    try {
        const cache = await si.cpuCache();
        const sizes = [cache.l3, cache.l2].filter((size) => typeof size === "number" && size > 0);
        if (sizes.length > 0)
            return Math.max(...sizes);
    } catch {
        // try sysfs below
    }
    try {
        const text = await readFile("/sys/devices/system/cpu/cpu0/cache/index3/size", "utf8");
        const match = /^(\d+)([KMG]?)/.exec(text.trim());
        if (match != null) {
            const unit = {"": 1, K: 1024, M: MiB, G: 1024 * MiB}[match[2] as "" | "K" | "M" | "G"];
            return Number(match[1]) * unit;
        }
    } catch {
        // unknown
    }
    return null;
}

async function waitForReady(ctl: Int32Array, threads: number, signal: AbortSignal | undefined, failed: () => Error | null): Promise<void> {
    // Workers fill their buffers (touching every page) before they report ready; poll without blocking
    // the event loop so worker errors and aborts still arrive.
    while (Atomics.load(ctl, CONTROL.READY) < threads) {
        const error = failed();
        if (error != null)
            throw error;
        await sleep(5, signal);
    }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) {
            reject(signal.reason);
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal?.reason);
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        signal?.addEventListener("abort", onAbort, {once: true});
    });
}

function round3(value: number): number {
    return Math.round(value * 1000) / 1000;
}
