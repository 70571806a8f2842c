import {describe, expect, it} from "vitest";
import {measureBandwidth} from "../../src-main/engine/hardware/measureBandwidth.js";

describe("measureBandwidth", () => {
    it("returns plausible positive figures within its time budget", async () => {
        const started = performance.now();
        const result = await measureBandwidth({threads: 2, bufferBytes: 64 * 2 ** 20, windowMs: 100, repetitions: 2});
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
