// Energy readers on fixture files: this machine has no RAPL and no NVIDIA GPU, so the sysfs trees and nvidia-smi
// output are recorded text (test/fixtures/powercap, test/fixtures/nvidia-smi).
import {EventEmitter} from "node:events";
import {readFileSync} from "node:fs";
import {rm, writeFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {openRaplCounter, type RaplCounter, type EnergyUnavailable} from "../../src-main/engine/bench/openRaplCounter.js";
import {parseNvidiaSmiPowerLine} from "../../src-main/engine/bench/parseNvidiaSmiPower.js";
import {integratePower} from "../../src-main/engine/bench/integratePower.js";
import {startNvidiaPowerSampler, type CommandRunner, type RunningCommand} from "../../src-main/engine/bench/startNvidiaPowerSampler.js";
import {openEnergyMeter} from "../../src-main/engine/bench/openEnergyMeter.js";
import {energyOf} from "../../src-main/engine/bench/energyOf.js";
import type {RepSample} from "../../src-main/engine/types.js";
import {writePowercapTree} from "../fixtures/writePowercapTree.js";

const nvidiaFixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../fixtures/nvidia-smi", name), "utf8");

const roots: string[] = [];
async function tree(name: string): Promise<string> {
    const root = await writePowercapTree(name);
    roots.push(root);
    return root;
}
const opened: Array<{close(): void}> = [];
function counter(result: RaplCounter | EnergyUnavailable): RaplCounter {
    if ("reason" in result)
        throw new Error(result.reason);
    opened.push(result);
    return result;
}
afterEach(async () => {
    for (const item of opened.splice(0))
        item.close();
    await Promise.all(roots.splice(0).map((root) => rm(root, {recursive: true, force: true})));
});

describe("openRaplCounter", () => {
    it("sums the package zones of both sockets, never their subzones or the MMIO copy of package 0", async () => {
        const root = await tree("intel-2-socket");
        const rapl = counter(openRaplCounter({root}));
        expect(rapl.source).toBe("RAPL package-0 + package-1 (intel-rapl:0, intel-rapl:1)");
        expect(rapl.read()).toBe(0);
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "81239567890\n"); // +5 J
        await writeFile(path.join(root, "intel-rapl:1/energy_uj"), "79003000000\n"); // +3 J
        await writeFile(path.join(root, "intel-rapl:0:0/energy_uj"), "40999999999\n"); // core: part of package 0
        await writeFile(path.join(root, "intel-rapl-mmio:0/energy_uj"), "91234560000\n"); // the same package again
        expect(rapl.read()).toBeCloseTo(8, 9);
    });

    it("adds max_energy_range_uj when a counter wraps (AMD's 65.5 kJ range)", async () => {
        const root = await tree("amd-zen");
        const rapl = counter(openRaplCounter({root}));
        expect(rapl.source).toBe("RAPL package-0 (intel-rapl:0)");
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "400000\n");
        // 65532610987 - 65532000000 before the wrap, 400000 after it
        expect(rapl.read()).toBeCloseTo((65532610987 - 65532000000 + 400000) / 1e6, 9);
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "2400000\n");
        expect(rapl.read()).toBeCloseTo((65532610987 - 65532000000 + 2400000) / 1e6, 9);
    });

    it("reads the counters in the background, so a wrap between two far-apart marks is not lost", async () => {
        const root = await tree("amd-zen");
        const rapl = counter(openRaplCounter({root, pollMs: 5}));
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "65532600000\n"); // +0.6 J, no wrap yet
        await new Promise((resolve) => setTimeout(resolve, 40));
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "65532000000\n"); // a full range later, wrapped once
        await new Promise((resolve) => setTimeout(resolve, 40));
        // without the background read this would look like no change at all
        expect(rapl.read()).toBeCloseTo(65532610987 / 1e6, 6);
    });

    it("says there is no package counter on a machine with only a platform zone, or no powercap at all", async () => {
        expect(openRaplCounter({root: await tree("psys-only")})).toEqual({
            reason: expect.stringMatching(/^no RAPL package counter in .*psys-only.*\(a virtual machine, or a CPU or kernel without RAPL\)$/), absent: true
        });
        expect(openRaplCounter({root: "/nonexistent/powercap"})).toEqual({
            reason: "no RAPL energy counters: /nonexistent/powercap does not exist (a virtual machine, or a kernel without powercap)", absent: true
        });
    });

    it("names the root-only permission when energy_uj cannot be read", async () => {
        const root = await tree("intel-2-socket");
        const readFile = (file: string) => {
            if (file.endsWith("energy_uj"))
                throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), {code: "EACCES"});
            return readFileSync(file, "utf8");
        };
        const result = openRaplCounter({root, readFile});
        expect(result).toMatchObject({absent: false});
        expect((result as EnergyUnavailable).reason).toMatch(/^RAPL energy_uj is readable by root only .*CVE-2020-8694.*intel-rapl:\*\/energy_uj$/);
        expect((result as EnergyUnavailable).reason).not.toContain("\n");
    });

    it("refuses a counter file that is not a number, naming it", async () => {
        const root = await tree("amd-zen");
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "garbage\n");
        expect((openRaplCounter({root}) as EnergyUnavailable).reason).toMatch(/^RAPL: .*intel-rapl:0\/energy_uj: "garbage" is not a count of micro-joules$/);
        // a counter that goes bad after opening throws on read: the meter turns that into an empty reading
        const good = await tree("amd-zen");
        const rapl = counter(openRaplCounter({root: good}));
        await writeFile(path.join(good, "intel-rapl:0/energy_uj"), "\n");
        expect(() => rapl.read()).toThrow(/is not a count of micro-joules/);
    });
});

describe("parseNvidiaSmiPowerLine", () => {
    it("reads index and watts, and a GPU that does not report power as null watts", () => {
        expect(nvidiaFixture("power-draw-2gpu.txt").trim().split("\n").map(parseNvidiaSmiPowerLine).slice(0, 2))
            .toEqual([{gpu: 0, watts: 61.25}, {gpu: 1, watts: 28.4}]);
        expect(parseNvidiaSmiPowerLine("0, [N/A]")).toEqual({gpu: 0, watts: null});
        expect(parseNvidiaSmiPowerLine("3, [Not Supported]")).toEqual({gpu: 3, watts: null});
        expect(parseNvidiaSmiPowerLine("")).toBeNull();
        expect(parseNvidiaSmiPowerLine("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")).toBeNull();
        expect(parseNvidiaSmiPowerLine("0, 35.4 W")).toBeNull(); // units would mean the wrong --format
    });
});

describe("integratePower", () => {
    const samples = [{t: 0, watts: 100}, {t: 1000, watts: 200}, {t: 2000, watts: 200}];
    it("integrates the interpolated power, cut at both ends", () => {
        expect(integratePower(samples, 0, 2000)).toBeCloseTo(150 + 200, 9);
        expect(integratePower(samples, 500, 1500)).toBeCloseTo((150 + 200) / 2 * 0.5 + 200 * 0.5, 9);
        expect(integratePower(samples, 700, 700)).toBe(0);
    });
    it("is null outside the samples: the power there was not read", () => {
        expect(integratePower(samples, -1, 500)).toBeNull();
        expect(integratePower(samples, 500, 2001)).toBeNull();
        expect(integratePower([], 0, 1)).toBeNull();
    });
});

/** A runner that plays recorded nvidia-smi output, one round of GPUs per 100 ms of a fake clock. */
function playback(text: string, clock: {t: number}, gpus: number): {run: CommandRunner, killed: () => boolean} {
    let killed = false;
    const run: CommandRunner = (command, args) => {
        expect(command).toBe("nvidia-smi");
        expect(args).toEqual(["--query-gpu=index,power.draw", "--format=csv,noheader,nounits", "-lms", "100"]);
        const child = new EventEmitter() as EventEmitter & RunningCommand;
        const stdout = new EventEmitter();
        Object.assign(child, {stdout, stderr: new EventEmitter(), kill: () => (killed = true)});
        const lines = text.trim().split("\n");
        let at = 0;
        const timer = setInterval(() => {
            if (killed || at >= lines.length) {
                clearInterval(timer);
                return;
            }
            clock.t += 100;
            stdout.emit("data", Buffer.from(lines.slice(at, at + gpus).join("\n") + "\n"));
            at += gpus;
        }, 2);
        return child;
    };
    return {run, killed: () => killed};
}

describe("startNvidiaPowerSampler", () => {
    it("samples every GPU and integrates each GPU's power over the asked interval", async () => {
        const clock = {t: 0};
        const {run, killed} = playback(nvidiaFixture("power-draw-2gpu.txt"), clock, 2);
        const sampler = await startNvidiaPowerSampler({run, now: () => clock.t});
        if ("reason" in sampler)
            throw new Error(sampler.reason);
        expect(sampler.source).toBe("nvidia-smi power.draw of GPU 0, 1, sampled every 100 ms");
        // waits for the readings after 350 (round 4 at t = 400), then: GPU 0 52.351625 J + GPU 1 5.69925 J (by hand)
        expect(await sampler.joulesBetween(150, 350)).toBeCloseTo(52.351625 + 5.69925, 6);
        sampler.stop();
        expect(killed()).toBe(true);
        // after the end no more readings come: an interval past them is unknown
        expect(await sampler.joulesBetween(150, 450)).toBeNull();
    });

    it("says when the GPU does not report power, when nvidia-smi is missing, and when the driver fails", async () => {
        const clock = {t: 0};
        expect(await startNvidiaPowerSampler({run: playback(nvidiaFixture("power-draw-not-supported.txt"), clock, 1).run, now: () => clock.t}))
            .toEqual({reason: "nvidia-smi: GPU 0 does not report power.draw", absent: false});

        const missing: CommandRunner = () => {
            const child = Object.assign(new EventEmitter(), {stdout: new EventEmitter(), kill: () => true});
            setImmediate(() => child.emit("error", Object.assign(new Error("spawn nvidia-smi ENOENT"), {code: "ENOENT"})));
            return child as unknown as RunningCommand;
        };
        expect(await startNvidiaPowerSampler({run: missing})).toEqual({reason: "no nvidia-smi on the PATH (no NVIDIA driver)", absent: true});

        const failing: CommandRunner = () => {
            const child = Object.assign(new EventEmitter(), {stdout: new EventEmitter(), stderr: new EventEmitter(), kill: () => true});
            setImmediate(() => {
                child.stderr.emit("data", "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n");
                child.emit("exit", 9);
            });
            return child as unknown as RunningCommand;
        };
        expect(await startNvidiaPowerSampler({run: failing})).toEqual({
            reason: "nvidia-smi exited with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. " +
                "Make sure that the latest NVIDIA driver is installed and running.", absent: false
        });

        const silent: CommandRunner = () => Object.assign(new EventEmitter(), {stdout: new EventEmitter(), kill: () => true}) as unknown as RunningCommand;
        expect(await startNvidiaPowerSampler({run: silent, startTimeoutMs: 20})).toEqual({reason: "nvidia-smi gave no power reading within 0.02 s", absent: false});
    });
});

const noNvidia: CommandRunner = () => {
    const child = Object.assign(new EventEmitter(), {stdout: new EventEmitter(), kill: () => true});
    setImmediate(() => child.emit("error", Object.assign(new Error("spawn nvidia-smi ENOENT"), {code: "ENOENT"})));
    return child as unknown as RunningCommand;
};

describe("openEnergyMeter", () => {
    it("reads RAPL between marks and says nothing about a missing nvidia-smi on a machine without one", async () => {
        const root = await tree("amd-zen");
        const meter = await openEnergyMeter({platform: "linux", rapl: {root}, run: noNvidia});
        opened.push(meter);
        expect(meter.source).toBe("RAPL package-0 (intel-rapl:0)");
        expect(meter.note).toBeUndefined();
        const from = meter.mark();
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "65532500000\n");
        const to = meter.mark();
        expect(await meter.joulesBetween(from, to)).toBeCloseTo(0.5, 9);
        // a counter that cannot be read at a mark gives no energy for that interval, never a partial one
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "oops\n");
        expect(await meter.joulesBetween(to, meter.mark())).toBeNull();
    });

    it("sums RAPL and the GPUs' sampled power", async () => {
        const root = await tree("amd-zen");
        const clock = {t: 0};
        const meter = await openEnergyMeter({platform: "linux", rapl: {root}, run: playback(nvidiaFixture("power-draw-2gpu.txt"), clock, 2).run, now: () => clock.t});
        opened.push(meter);
        expect(meter.source).toBe("RAPL package-0 (intel-rapl:0) + nvidia-smi power.draw of GPU 0, 1, sampled every 100 ms");
        const from = {...meter.mark(), t: 150};
        await writeFile(path.join(root, "intel-rapl:0/energy_uj"), "65532100000\n"); // +0.1 J
        const to = {...meter.mark(), t: 350};
        expect(await meter.joulesBetween(from, to)).toBeCloseTo(0.1 + 52.351625 + 5.69925, 6);
    });

    it("gives one line of reason and no figures where nothing is readable", async () => {
        const vm = await openEnergyMeter({platform: "linux", rapl: {root: "/nonexistent/powercap"}, run: noNvidia});
        expect(vm.source).toBeNull();
        expect(vm.note).toBe("energy not measured: no RAPL energy counters: /nonexistent/powercap does not exist " +
            "(a virtual machine, or a kernel without powercap); no nvidia-smi on the PATH (no NVIDIA driver)");
        expect(await vm.joulesBetween(vm.mark(), vm.mark())).toBeNull();

        let ran = false;
        const mac = await openEnergyMeter({platform: "darwin", run: () => {
            ran = true;
            return noNvidia("nvidia-smi", []);
        }});
        expect(ran).toBe(false);
        expect(mac.source).toBeNull();
        expect(mac.note).toBe("energy not measured: macOS gives no energy counter without root (powermetrics needs sudo); no NVIDIA driver on macOS");
    });

    it("says which present source could not be read, beside the one that was", async () => {
        const root = await tree("amd-zen");
        const clock = {t: 0};
        const meter = await openEnergyMeter({platform: "linux", rapl: {root}, run: playback(nvidiaFixture("power-draw-not-supported.txt"), clock, 1).run, now: () => clock.t});
        opened.push(meter);
        expect(meter.source).toBe("RAPL package-0 (intel-rapl:0)");
        expect(meter.note).toBe("energy incomplete: nvidia-smi: GPU 0 does not report power.draw");
    });
});

describe("energyOf", () => {
    const rep = (energy: Partial<RepSample>): RepSample => ({promptTokens: 32, ppMs: 100, ttftMs: 130, genTokens: 64, tgMs: 2000, ...energy});
    it("means the repetitions' prefill + generation joules and counts generated tokens per generation joule", () => {
        expect(energyOf([rep({ppEnergyJ: 2, tgEnergyJ: 30}), rep({ppEnergyJ: 2.5, tgEnergyJ: 34})], {source: "RAPL package-0 (intel-rapl:0)"}))
            .toEqual({joules: (32 + 36.5) / 2, tokensPerJoule: 128 / 64, source: "RAPL package-0 (intel-rapl:0)"});
    });
    it("leaves the figures empty, with the reason, when nothing or not every repetition was read", () => {
        expect(energyOf([rep({})], {source: null, note: "energy not measured: no RAPL"}))
            .toEqual({joules: null, tokensPerJoule: null, source: null, note: "energy not measured: no RAPL"});
        expect(energyOf([rep({ppEnergyJ: 2, tgEnergyJ: 30}), rep({})], {source: "RAPL package-0 (intel-rapl:0)"}))
            .toEqual({joules: null, tokensPerJoule: null, source: "RAPL package-0 (intel-rapl:0)", note: "energy not read in 1 of 2 repetitions: left empty"});
    });
});
