import {describe, expect, it} from "vitest";
import {spawn} from "node:child_process";
import os from "node:os";
import {startBackgroundLoad, waitForQuietCpu} from "../../src-main/engine/bench/backgroundLoad.js";

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
