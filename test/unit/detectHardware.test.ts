import {beforeEach, describe, expect, it, vi} from "vitest";
import type {Fact, HardwareProfile} from "../../src-main/engine/types.js";

// What systeminformation and llama.cpp report on a KVM virtual machine without a GPU (as seen on the
// project's CI box): no DIMMs, no clock, a virtio disk. Tests override parts of it.
const machine = vi.hoisted(() => {
    const vm = () => ({
        cpu: {
            manufacturer: "Intel", brand: "Xeon® Processor", speed: 0, speedMax: 0, cores: 2, physicalCores: 2,
            cache: {l1d: 98304, l1i: 65536, l2: 4194304, l3: 110100480}
        },
        mem: {total: 25276502016, free: 21658488832, available: 24830160896},
        memLayout: [{size: 25276502016, bank: "", type: "", clockSpeed: 0, formFactor: ""}] as Array<Record<string, unknown>>,
        graphics: {controllers: [] as Array<Record<string, unknown>>, displays: []},
        osInfo: {platform: "linux", distro: "Debian GNU/Linux", release: "12", kernel: "6.1.0"},
        system: {virtual: true, virtualHost: "KVM"} as Record<string, unknown> | null,
        fsSize: [{fs: "/dev/vda", mount: "/", available: 80e9}],
        blockDevices: [{name: "vda", type: "disk", physical: "HDD", protocol: "", device: "/dev/vda", model: ""}],
        diskLayout: [] as Array<Record<string, unknown>>,
        llama: {
            systemInfo: "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 1 | LLAMAFILE = 1 | ",
            backend: "cpu", supportedGpuTypes: [] as string[], gpuDeviceNames: [] as string[],
            vram: null as {total: number, free: number, unifiedSize: number} | null,
            llamaCppRelease: "v0.5.0", buildType: "prebuilt"
        } as Record<string, unknown> | Error
    });
    return {vm, current: vm()};
});

vi.mock("systeminformation", () => ({
    default: {
        cpu: async () => machine.current.cpu,
        mem: async () => machine.current.mem,
        memLayout: async () => machine.current.memLayout,
        graphics: async () => machine.current.graphics,
        osInfo: async () => machine.current.osInfo,
        system: async () => machine.current.system,
        fsSize: async () => machine.current.fsSize,
        blockDevices: async () => machine.current.blockDevices,
        diskLayout: async () => machine.current.diskLayout,
        cpuCache: async () => machine.current.cpu.cache
    }
}));
vi.mock("../../src-main/engine/llama/readLlamaInfo.js", () => ({
    readLlamaInfo: async () => {
        if (machine.current.llama instanceof Error)
            throw machine.current.llama;
        return machine.current.llama;
    },
    nodeLlamaCppVersion: async () => "3.22.1"
}));
const measureBandwidth = vi.hoisted(() => vi.fn(async () => ({
    read1GBs: 10, readAllGBs: 12, copy1GBs: 11, copyAllGBs: 13, threads: 2, bufferBytes: 1, durationMs: 1
})));
vi.mock("../../src-main/engine/hardware/measureBandwidth.js", () => ({measureBandwidth}));

const {detectHardware, getHardwareProfile, clearHardwareProfileCache} = await import("../../src-main/engine/hardware/detectHardware.js");

/** Every Fact in the profile, with its path. */
function facts(value: unknown, at = "profile"): Array<[string, Fact<unknown>]> {
    if (value == null || typeof value !== "object")
        return [];
    if ("source" in value && "value" in value)
        return [[at, value as Fact<unknown>]];
    return Object.entries(value).flatMap(([key, inner]) => facts(inner, `${at}.${key}`));
}

function expectNoGuesses(profile: HardwareProfile) {
    const all = facts(profile);
    expect(all.length).toBeGreaterThan(15);
    for (const [at, fact] of all) {
        if (fact.value == null) {
            expect(fact.source, at).toBe("none");
            expect(fact.note, at).toBeTruthy();
        } else {
            expect(fact.source, at).not.toBe("none");
        }
    }
}

beforeEach(() => {
    machine.current = machine.vm();
    measureBandwidth.mockClear();
    clearHardwareProfileCache();
});

describe("detectHardware on a virtual machine", () => {
    it("reports what is known with its source and leaves the rest null with source none", async () => {
        const profile = await detectHardware({bandwidth: "skip", gpu: false, modelsDir: "/work/main/models"});
        expectNoGuesses(profile);
        expect(profile.os.virtualised).toMatchObject({value: true, source: "systeminformation"});
        expect(profile.cpu.brand).toEqual({value: "Intel Xeon® Processor", source: "systeminformation"});
        expect(profile.cpu.physicalCores.value).toBe(2);
        expect(profile.cpu.simd).toMatchObject({value: ["SSE3", "AVX", "AVX2", "AVX512"], source: "node-llama-cpp"});
        expect(profile.cpu.speedGHz).toMatchObject({value: null, source: "none"});
        expect(profile.cpu.lastLevelCacheBytes).toMatchObject({value: 110100480, note: "L3"});
        expect(profile.memory.totalBytes).toEqual({value: 25276502016, source: "systeminformation"});
        expect(profile.memory.modules).toMatchObject({value: null, source: "none"});
        expect(profile.memory.theoreticalGBs).toMatchObject({value: null, source: "none"});
        expect(profile.bandwidth).toMatchObject({value: null, source: "none"});
        expect(profile.gpus).toEqual([]);
        expect(profile.backends).toEqual({cuda: false, vulkan: false, metal: false, cpu: true, used: "cpu"});
        expect(profile.disk.device.value).toBe("/dev/vda");
        expect(profile.disk.kind).toMatchObject({value: null, source: "none"});
        expect(profile.llamaCppRelease).toBe("v0.5.0");
        expect(measureBandwidth).not.toHaveBeenCalled();
    });

    it("takes the theoretical bandwidth from the user's RAM description", async () => {
        const profile = await detectHardware({bandwidth: "skip", ramSpec: "DDR4-3200x2"});
        expect(profile.memory.theoreticalGBs).toEqual({value: 51.2, source: "user", note: "DDR4-3200 x 2 channels"});
    });

    it("measures bandwidth when asked, with the physical core count", async () => {
        const profile = await detectHardware({bandwidth: "measure"});
        expect(measureBandwidth).toHaveBeenCalledWith({threads: 2});
        expect(profile.bandwidth).toMatchObject({value: {readAllGBs: 12}, source: "measured"});
    });

    it("still reports the machine when llama.cpp cannot load", async () => {
        machine.current.llama = new Error("no binary");
        const profile = await detectHardware({bandwidth: "skip"});
        expectNoGuesses(profile);
        expect(profile.cpu.simd.note).toMatch(/no binary/);
        expect(profile.backends.used).toBe("cpu");
    });
});

describe("detectHardware on a desktop", () => {
    it("reads DIMMs, channels from slot labels, and the GPU with llama.cpp's VRAM and the table's bandwidth", async () => {
        machine.current.cpu = {...machine.current.cpu, manufacturer: "AMD", brand: "Ryzen 7 3700X 8-Core Processor", speedMax: 4.4, cores: 16, physicalCores: 8};
        machine.current.system = {virtual: false, virtualHost: ""};
        machine.current.memLayout = [
            {size: 16 * 2 ** 30, bank: "P0 CHANNEL A", type: "DDR4", clockSpeed: 3200},
            {size: 16 * 2 ** 30, bank: "P0 CHANNEL B", type: "DDR4", clockSpeed: 3200}
        ];
        machine.current.graphics = {controllers: [{vendor: "NVIDIA Corporation", model: "NVIDIA GeForce RTX 3090", vram: 24576, vramDynamic: false}], displays: []};
        machine.current.llama = {
            ...(machine.current.llama as Record<string, unknown>), backend: "cuda", supportedGpuTypes: ["cuda", "vulkan"],
            gpuDeviceNames: ["NVIDIA GeForce RTX 3090"], vram: {total: 25769803776, free: 24e9, unifiedSize: 0}
        };
        const profile = await detectHardware({bandwidth: "skip"});
        expectNoGuesses(profile);
        expect(profile.os.virtualised.value).toBe(false);
        expect(profile.cpu.speedGHz).toMatchObject({value: 4.4, source: "systeminformation"});
        expect(profile.memory.modules.value).toEqual([
            {type: "DDR4", speedMTs: 3200, sizeBytes: 16 * 2 ** 30}, {type: "DDR4", speedMTs: 3200, sizeBytes: 16 * 2 ** 30}
        ]);
        expect(profile.memory.theoreticalGBs).toMatchObject({value: 51.2, source: "systeminformation"});
        expect(profile.gpus).toHaveLength(1);
        expect(profile.gpus[0]).toMatchObject({
            name: {value: "NVIDIA GeForce RTX 3090"},
            vramTotalBytes: {value: 25769803776, source: "node-llama-cpp"},
            vramFreeBytes: {value: 24e9, source: "node-llama-cpp"},
            bandwidthGBs: {value: 936, source: "table"}
        });
        expect(profile.backends).toMatchObject({cuda: true, vulkan: true, metal: false, used: "cuda"});
    });

    it("leaves the theoretical bandwidth unknown when the slots do not name channels", async () => {
        machine.current.memLayout = [
            {size: 2 ** 33, bank: "BANK 0", type: "DDR5", clockSpeed: 5600},
            {size: 2 ** 33, bank: "BANK 1", type: "DDR5", clockSpeed: 5600}
        ];
        const profile = await detectHardware({bandwidth: "skip"});
        expect(profile.memory.modules.value).toHaveLength(2);
        expect(profile.memory.theoreticalGBs).toMatchObject({value: null, source: "none"});
        expect(profile.memory.theoreticalGBs.note).toMatch(/do not name their channels/);
    });
});

describe("getHardwareProfile", () => {
    it("detects once per process and measures bandwidth later when first skipped", async () => {
        const first = await getHardwareProfile({bandwidth: "skip"});
        const again = await getHardwareProfile({bandwidth: "skip"});
        expect(again).toBe(first);
        expect(measureBandwidth).not.toHaveBeenCalled();
        const measured = await getHardwareProfile({bandwidth: "measure"});
        expect(measureBandwidth).toHaveBeenCalledTimes(1);
        expect(measured.bandwidth.source).toBe("measured");
        expect(measured.detectedAt).toBe(first.detectedAt);
        expect(await getHardwareProfile({bandwidth: "skip"})).toBe(measured);
        expect(await getHardwareProfile()).toBe(measured);
        expect(measureBandwidth).toHaveBeenCalledTimes(1);
    });
});

describe("detectHardware when the probe fails", () => {
    it("leaves bandwidth unknown with the reason", async () => {
        measureBandwidth.mockRejectedValueOnce(new Error("Cannot allocate memory"));
        const profile = await detectHardware({bandwidth: "measure"});
        expect(profile.bandwidth).toMatchObject({value: null, source: "none"});
        expect(profile.bandwidth.note).toMatch(/probe failed: Cannot allocate memory/);
    });
});
