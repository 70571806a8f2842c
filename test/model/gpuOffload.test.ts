// The GPU path on a real Vulkan device: Mesa's lavapipe (Debian's mesa-vulkan-drivers, installed by .ci/run),
// a software device llama.cpp's Vulkan backend reports as CPU-type. Nothing here is special to lavapipe: it is
// found by its kind, as any software device would be, and driven as any GPU is. Tiny model, few tokens: lavapipe
// is a CPU pretending to be a GPU. No test asserts a speed.
import {describe, expect, it} from "vitest";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import {defaultPlan} from "../../src-main/engine/bench/defaultPlan.js";
import {planMachine} from "../../src-main/engine/bench/planMachine.js";
import {resolveGpuChoice} from "../../src-main/engine/bench/resolveGpuChoice.js";
import {getHardwareProfile} from "../../src-main/engine/hardware/detectHardware.js";
import {chosenGpuDevice, listLlamaDevices} from "../../src-main/engine/hardware/listLlamaDevices.js";
import type {SweepSpec, TestResult} from "../../src-main/engine/types.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-gpu-");
const devices = process.platform === "linux" && process.arch === "x64" ? await listLlamaDevices({backend: "vulkan"}) : [];
const software = devices.find((device) => device.kind.value === "software");

const spec = (gpuLayers: SweepSpec["gpuLayers"]): SweepSpec => ({
    models: [tiny.model], gpuLayers, threads: [1], batchSizes: [64], nPrompt: [8], nGen: [4], reps: 1, flashAttention: [false]
});

describe.runIf(software != null)("GPU offload on a software Vulkan device", () => {
    const asked = software != null ? chosenGpuDevice(devices, String(software.index), {}) : undefined;

    it("is listed as software and not used unless asked: a plain run is a CPU run", async () => {
        expect(software!.usedByDefault).toBe(false);
        expect(software!.vramTotalBytes.value).toBeGreaterThan(0);
        const [row] = await runSweep(spec(["max"]), {gpu: "auto"});
        expect(row!.status, row!.error).toBe("ok");
        expect(row!.env.backend).toBe("cpu");
        expect(row!.env.gpu).toBe("none");
        expect(row!.load?.offloadedLayers).toBe(0);
    });

    it("offloads 0, 1 and all layers when asked, names the device, and its memory rises with the layers", async () => {
        const rows: TestResult[] = await runSweep(spec([0, 1, "max"]), {gpu: "auto", gpuDevice: asked!});
        for (const row of rows)
            expect(row.status, row.error).toBe("ok");
        // the tiny model has 2 layers; llama.cpp counts the output layer too
        expect(rows.map((row) => `${row.load?.offloadedLayers}/${row.load?.totalLayers}`)).toEqual(["0/3", "1/3", "3/3"]);
        for (const row of rows) {
            expect(row.env.backend).toBe("vulkan");
            expect(row.env.gpu).toBe(`${software!.name.value}: software Vulkan device (runs on the CPU)`);
            expect(row.memory?.ramPeakBytes).toBeGreaterThan(0);
            expect(row.memory?.vramEstimateBytes).toBeGreaterThan(0);
        }
        const vram = rows.map((row) => row.memory?.vramPeakBytes ?? 0);
        // at 0 layers llama.cpp still puts its compute buffer on the device (large-batch work runs there)
        expect(vram[0]).toBeGreaterThan(0);
        expect(vram[1]).toBeGreaterThan(vram[0]!);
        expect(vram[2]).toBeGreaterThan(vram[1]!);
    }, 480_000); // three loads, each in a fresh worker that sets up the device: ~1 min each on a busy 2-core VM

    it("the app's and the CLI's GPU choice: the default plan sweeps layers only onto an asked-for software device, within its VRAM", async () => {
        // No model runs here: hardware detection lists the device, the fit advisor sizes the tiny model against it.
        const hardware = await getHardwareProfile({bandwidth: "skip"});
        expect(hardware.devices?.some((device) => device.kind.value === "software")).toBe(true);
        const plan = async (choice: Parameters<typeof resolveGpuChoice>[1]) => {
            const gpu = resolveGpuChoice(hardware, choice);
            return defaultPlan(await planMachine({hardware, models: [tiny.model], gpu}), [tiny.model]);
        };
        const cpuOnly = await plan({});
        expect(cpuOnly.gpuLayers).toEqual([0]);
        const asked = await plan({gpuDevice: String(software!.index)});
        expect(asked.gpuLayers).toEqual([0, "max"]); // 3 layers (fewer than 4: all or nothing), all fit in its VRAM
        expect((await plan({gpuDevice: String(software!.index), vramBudgetBytes: 1024 * 1024})).gpuLayers).toEqual([0]);
        expect(() => resolveGpuChoice(hardware, {gpuDevice: "no such device"})).toThrow(/is not a device llama.cpp can use/);
    }, 120_000);

    it("refuses a configuration that does not fit a VRAM budget before loading, naming the largest layer count that fits", async () => {
        const [row] = await runSweep(spec(["max"]), {gpu: "auto", gpuDevice: asked!, vramBudgetBytes: 1024 * 1024});
        expect(row!.status).toBe("error");
        expect(row!.error).toMatch(/does not fit in VRAM: 3\/3 layers need \d+ MiB of VRAM, 1 MiB free on llvmpipe|does not fit in VRAM: 3\/3 layers need .* free on .*; at most \d+ layers fit \(--gpu-layers \d+\)$/);
        expect(row!.load).toBeUndefined();
    });
});
