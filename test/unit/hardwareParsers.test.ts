import {describe, expect, it} from "vitest";
import {physicalCoresFromCpuinfo} from "../../src-main/engine/hardware/physicalCoresFromCpuinfo.js";
import {memoryChannels} from "../../src-main/engine/hardware/memoryChannels.js";
import {parseLlamaSystemInfo} from "../../src-main/engine/hardware/parseLlamaSystemInfo.js";
import {describeDisk, type DiskSources} from "../../src-main/engine/hardware/diskForPath.js";

describe("physicalCoresFromCpuinfo", () => {
    const cpu = (socket: number, core: number) => `processor\t: 0\nphysical id\t: ${socket}\ncore id\t\t: ${core}\nflags\t\t: fpu\n`;
    it("counts distinct (socket, core) pairs: hyper-threads share a core id", () => {
        expect(physicalCoresFromCpuinfo([cpu(0, 0), cpu(0, 1), cpu(0, 0), cpu(0, 1)].join("\n"))).toBe(2);
        expect(physicalCoresFromCpuinfo([cpu(0, 0), cpu(1, 0)].join("\n"))).toBe(2);
    });
    it("is null when no core ids are listed", () => {
        expect(physicalCoresFromCpuinfo("processor\t: 0\nBogoMIPS\t: 48.00\n")).toBeNull();
    });
});

describe("memoryChannels", () => {
    it("counts channels named in the slot labels", () => {
        expect(memoryChannels(["P0 CHANNEL A", "P0 CHANNEL B"])).toBe(2);
        expect(memoryChannels(["ChannelA-DIMM0", "ChannelA-DIMM1", "ChannelB-DIMM0", "ChannelB-DIMM1"])).toBe(2);
        expect(memoryChannels(["CHANNEL A DIMM 0", "CHANNEL B DIMM 0", "CHANNEL C DIMM 0", "CHANNEL D DIMM 0"])).toBe(4);
    });
    it("is null when the labels do not name channels", () => {
        expect(memoryChannels(["BANK 0", "BANK 1"])).toBeNull();
        expect(memoryChannels([])).toBeNull();
    });
});

describe("parseLlamaSystemInfo", () => {
    it("keeps the enabled instruction sets, not build options", () => {
        const info = "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 1 | AVX_VNNI = 0 | LLAMAFILE = 1 | REPACK = 1 | ";
        expect(parseLlamaSystemInfo(info)).toEqual(["SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "AVX512"]);
        expect(parseLlamaSystemInfo("CPU : NEON = 1 | ARM_FMA = 1 | FP16_VA = 1 | DOTPROD = 1 | ")).toEqual(["NEON", "ARM_FMA", "FP16_VA", "DOTPROD"]);
    });
});

describe("describeDisk", () => {
    const sources = (overrides: Partial<DiskSources>): DiskSources => ({
        fsSize: [{fs: "/dev/nvme0n1p2", mount: "/", available: 100e9}, {fs: "/dev/sda1", mount: "/data", available: 2e12}],
        blockDevices: [
            {name: "nvme0n1", type: "disk", physical: "SSD", protocol: "nvme", device: "/dev/nvme0n1", model: "Samsung SSD 980"},
            {name: "nvme0n1p2", type: "part", physical: "SSD", protocol: "nvme", device: "/dev/nvme0n1p2", model: ""},
            {name: "sda", type: "disk", physical: "HDD", protocol: "sata", device: "/dev/sda", model: "WDC WD40"},
            {name: "sda1", type: "part", physical: "HDD", protocol: "sata", device: "/dev/sda1", model: ""}
        ],
        diskLayout: [{device: "/dev/sda", type: "HD", interfaceType: "SATA", name: "WDC WD40"}],
        virtualised: false,
        ...overrides
    });

    it("finds the disk under the longest mount point and its kind", () => {
        expect(describeDisk("/home/me/models", sources({}))).toMatchObject({
            device: {value: "/dev/nvme0n1", source: "systeminformation"}, kind: {value: "nvme"}, freeBytes: {value: 100e9}
        });
        expect(describeDisk("/data/models", sources({}))).toMatchObject({device: {value: "/dev/sda"}, kind: {value: "hdd"}, freeBytes: {value: 2e12}});
    });

    it("does not trust a virtual disk's rotational flag", () => {
        const disk = describeDisk("/work/models", sources({
            fsSize: [{fs: "/dev/vda", mount: "/", available: 80e9}],
            blockDevices: [{name: "vda", type: "disk", physical: "HDD", protocol: "", device: "/dev/vda", model: ""}],
            diskLayout: [],
            virtualised: true
        }));
        expect(disk.device.value).toBe("/dev/vda");
        expect(disk.kind).toMatchObject({value: null, source: "none"});
        expect(disk.kind.note).toMatch(/virtual disk/);
    });

    it("says so when the file system is not a local block device", () => {
        const disk = describeDisk("/models", sources({fsSize: [{fs: "overlay", mount: "/", available: 1e9}], blockDevices: [], diskLayout: []}));
        expect(disk.device).toMatchObject({value: "overlay", source: "systeminformation"});
        expect(disk.kind).toMatchObject({value: null, source: "none"});
    });
});
