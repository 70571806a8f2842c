import {describe, expect, it} from "vitest";
import {busyBandwidthProbe} from "../../src-main/engine/ceiling/busyMachine.js";
import {formatBandwidthSpread} from "../../src-main/engine/hardware/formatBandwidthSpread.js";
import type {BandwidthSpread} from "../../src-main/engine/types.js";

const windows = (values: number[]): BandwidthSpread => ({
    windowsGBs: values, backgroundCores: values.map(() => 0), quietWindows: values.length,
    min: Math.min(...values), median: [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!, max: Math.max(...values),
    relative: (Math.max(...values) - Math.min(...values)) / Math.max(...values)
});
const steady = {read1: windows([10.2, 10.4, 10.5]), readAll: windows([20.1, 20.6, 20.8]), copy1: windows([11, 11]), copyAll: windows([22, 40])};

describe("busyBandwidthProbe", () => {
    it("says nothing of a quiet, steady probe (the copy kernels' spread is not the figure's)", () => {
        expect(busyBandwidthProbe({threads: 2, backgroundCores: 0.03, spread: steady})).toBeNull();
        expect(busyBandwidthProbe({threads: 2})).toBeNull();
        expect(busyBandwidthProbe({threads: 2, backgroundCores: null, spread: steady})).toBeNull();
    });

    it("names the load, or the read windows that spread widely", () => {
        expect(busyBandwidthProbe({threads: 2, backgroundCores: 0.9, spread: steady}))
            .toBe("The machine may be busy: other processes kept 0.9 cores busy during the probe, so these figures may be low. Measure again when it is quiet.");
        expect(busyBandwidthProbe({threads: 2, backgroundCores: 0.1, spread: {...steady, read1: windows([5, 10])}}))
            .toBe("The machine may be busy: its windows differed by up to 1 thread 50% while no other process here was; " +
                "on a virtual machine, other guests on the host may share its memory. These figures may be low: measure again to compare.");
    });
});

describe("formatBandwidthSpread", () => {
    it("gives the read windows' range, spread and count per thread count", () => {
        expect(formatBandwidthSpread({threads: 2, spread: steady})).toBe("1 thread 10.2–10.5 GB/s (3%, 3 windows), 2 threads 20.1–20.8 GB/s (3%, 3 windows)");
        expect(formatBandwidthSpread({threads: 2})).toBeNull();
    });
});
