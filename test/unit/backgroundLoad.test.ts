import {describe, expect, it} from "vitest";
import {spawn} from "node:child_process";
import os from "node:os";
import {parseCpuTimes, startBackgroundLoad, startStealMeter, waitForQuietCpu} from "../../src-main/engine/bench/backgroundLoad.js";

const linux = process.platform === "linux";

describe("backgroundLoad", () => {
    it.runIf(linux)("counts a child still running as other load, within 0..CPU count", async () => {
        const read = startBackgroundLoad();
        // ~400 ms of own CPU, then ~400 ms of a child that is still running when the meter is read
        const end = Date.now() + 400;
        while (Date.now() < end) { /* busy on purpose */ }
        const child = spawn(process.execPath, ["-e", "const e = Date.now() + 2000; while (Date.now() < e) {}"]);
        await new Promise((resolve) => setTimeout(resolve, 400));
        const load = read();
        child.kill("SIGKILL");
        expect(load).not.toBeNull();
        expect(load!).toBeGreaterThanOrEqual(0);
        expect(load!).toBeLessThanOrEqual(os.availableParallelism() + 0.01);
        // the child ran about half the window; even on a busy shared machine it gets some CPU
        expect(load!).toBeGreaterThan(0.05);
    });

    it("reads busy, total and steal jiffies from /proc/stat, not counting guest time twice", () => {
        // user nice system idle iowait irq softirq steal guest guest_nice
        const text = "cpu  1000 10 200 5000 50 5 15 300 400 7\ncpu0 500 5 100 2500 25 2 7 150 200 3\n";
        expect(parseCpuTimes(text)).toEqual({busy: 1000 + 10 + 200 + 5 + 15 + 300, total: 6580, steal: 300});
        expect(parseCpuTimes("cpu  1 2 3 4\n")).toEqual({busy: 6, total: 10, steal: 0});
    });

    it.runIf(linux)("meters steal as part of the other load over the same window", async () => {
        const readOther = startBackgroundLoad();
        const readSteal = startStealMeter();
        await new Promise((resolve) => setTimeout(resolve, 500));
        const steal = readSteal();
        const other = readOther();
        expect(steal).not.toBeNull();
        expect(steal!).toBeGreaterThanOrEqual(0);
        // steal is neither idle nor ours, so it is inside "other"; the other meter was read later, over a longer window
        expect(steal!).toBeLessThanOrEqual(other! + 0.1); // a jiffy (10 ms) of rounding on each side
    });

    it.runIf(linux)("waitForQuietCpu returns after one window when any load counts as quiet", async () => {
        const start = Date.now();
        const load = await waitForQuietCpu({maxCores: os.availableParallelism() + 1, windowMs: 100, timeoutMs: 5000});
        expect(load).not.toBeNull();
        expect(Date.now() - start).toBeLessThan(2000);
    });

    it.runIf(linux)("waitForQuietCpu gives up at its timeout and still reports the load", async () => {
        const start = Date.now();
        const load = await waitForQuietCpu({maxCores: -1, windowMs: 100, timeoutMs: 300});
        expect(load).not.toBeNull();
        expect(Date.now() - start).toBeGreaterThanOrEqual(300);
        expect(Date.now() - start).toBeLessThan(3000);
    });
});
