import {describe, expect, it} from "vitest";
import {measureBandwidth} from "../../src-main/engine/hardware/measureBandwidth.js";
import {BANDWIDTH_KERNELS} from "../../src-main/engine/types.js";
import {BUSY_MACHINE_CORES} from "../../src-main/engine/ceiling/busyMachine.js";

describe("measureBandwidth", () => {
    it("returns plausible positive figures within its time budget", async () => {
        const started = performance.now();
        const result = await measureBandwidth({threads: 2, bufferBytes: 64 * 2 ** 20, windowMs: 100, repetitions: 2, quietWaitMs: 0});
        const elapsed = performance.now() - started;
        expect(elapsed).toBeLessThan(10_000);
        expect(result.durationMs).toBeLessThan(10_000);
        expect(result.threads).toBe(2);
        expect(result.bufferBytes).toBe(64 * 2 ** 20);
        for (const value of [result.read1GBs, result.readAllGBs, result.copy1GBs, result.copyAllGBs]) {
            expect(value).toBeGreaterThan(0.1); // even a busy machine streams more than 100 MB/s
            expect(value).toBeLessThan(10_000); // and no machine streams 10 TB/s
        }
        // All cores together are not much slower than one (they may be no faster on a memory-bound box).
        expect(result.readAllGBs).toBeGreaterThanOrEqual(result.read1GBs * 0.5);
        expect(result.copyAllGBs).toBeGreaterThanOrEqual(result.copy1GBs * 0.5);
    }, 30_000);

    it("stops on abort", async () => {
        const controller = new AbortController();
        const running = measureBandwidth({threads: 1, bufferBytes: 32 * 2 ** 20, windowMs: 2000, repetitions: 5, signal: controller.signal});
        setTimeout(() => controller.abort(new Error("stop")), 300);
        const started = performance.now();
        await expect(running).rejects.toThrow("stop");
        expect(performance.now() - started).toBeLessThan(5000);
    }, 30_000);
});

describe("measureBandwidth's windows", () => {
    it("keeps every window's figure per kernel, with what else ran, and reports their spread", async () => {
        const result = await measureBandwidth({threads: 2, bufferBytes: 32 * 2 ** 20, windowMs: 40, repetitions: 2, quietWaitMs: 0});
        const spread = result.spread!;
        for (const kernel of BANDWIDTH_KERNELS) {
            const windows = spread[kernel];
            // the planned rounds, and at most as many again for a kernel that lacked quiet windows
            expect(windows.windowsGBs.length).toBeGreaterThanOrEqual(2);
            expect(windows.windowsGBs.length).toBeLessThanOrEqual(4);
            expect(windows.backgroundCores).toHaveLength(windows.windowsGBs.length);
            expect(windows.min).toBe(Math.min(...windows.windowsGBs));
            expect(windows.max).toBe(Math.max(...windows.windowsGBs));
            expect(windows.min).toBeLessThanOrEqual(windows.median);
            expect(windows.median).toBeLessThanOrEqual(windows.max);
            expect(windows.relative).toBeCloseTo((windows.max - windows.min) / windows.max, 2);
            // The figure is the best quiet window (the best of all when none was quiet).
            const quiet = windows.windowsGBs.filter((_, i) => windows.backgroundCores[i] == null || windows.backgroundCores[i]! < BUSY_MACHINE_CORES);
            expect(windows.quietWindows).toBe(quiet.length);
            expect(result[`${kernel}GBs`]).toBe(Math.max(...(quiet.length > 0 ? quiet : windows.windowsGBs)));
        }
        if (process.platform === "linux")
            expect(result.backgroundCores).toBeGreaterThanOrEqual(0);
    }, 30_000);
});
