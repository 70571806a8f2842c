import {describe, expect, it} from "vitest";
import {gpuBandwidthGBs, lookupGpu} from "../../src-main/engine/hardware/gpuBandwidth.js";
import {GPU_TABLE} from "../../src-main/engine/hardware/gpuTable.js";

const GiB = 1024 ** 3;

describe("lookupGpu", () => {
    it.each([
        ["NVIDIA GeForce RTX 3090", "RTX 3090", 936],
        ["NVIDIA GeForce RTX 3090 Ti", "RTX 3090 Ti", 1008],
        ["GeForce RTX3090", "RTX 3090", 936],
        ["rtx 4090", "RTX 4090", 1008],
        ["NVIDIA GeForce RTX 4070 Ti SUPER", "RTX 4070 Ti Super", 672],
        ["NVIDIA GeForce RTX 4070 SUPER", "RTX 4070 Super", 504],
        ["NVIDIA GeForce RTX 4070", "RTX 4070", 504],
        ["NVIDIA GeForce GTX 1660 SUPER", "GTX 1660 Super", 336],
        ["NVIDIA GeForce RTX 5090", "RTX 5090", 1792],
        ["AMD Radeon RX 7900 XTX", "RX 7900 XTX", 960],
        ["AMD Radeon RX 7900 XT", "RX 7900 XT", 800],
        ["Radeon RX 7900 GRE", "RX 7900 GRE", 576],
        ["AMD Radeon RX 6800", "RX 6800", 512],
        ["Intel(R) Arc(TM) A770 Graphics", "Arc A770", 560],
        ["Apple M1", "M1", 68.25],
        ["Apple M1 Pro", "M1 Pro", 200],
        ["Apple M2 Max", "M2 Max", 400],
        ["Apple M2 Ultra", "M2 Ultra", 800],
        ["Tesla P40", "Tesla P40", 346],
        ["NVIDIA A100-SXM4-80GB", "A100 SXM4", 2039],
        ["NVIDIA A100-PCIE-40GB", "A100", 1555],
        ["NVIDIA H100 80GB HBM3", "H100 SXM", 3350],
        ["NVIDIA H100 PCIe", "H100 PCIe", 2000],
        ["NVIDIA L40S", "L40S", 864],
        ["NVIDIA L4", "L4", 300],
        ["Tesla V100-SXM2-32GB", "Tesla V100", 900],
        ["Quadro RTX 6000", "Quadro RTX 6000", 672],
        ["NVIDIA RTX A6000", "RTX A6000", 768],
        ["NVIDIA RTX 6000 Ada Generation", "RTX 6000 Ada", 960],
        ["AMD Instinct MI250X", "Instinct MI250X", 3276.8],
        ["AMD Instinct MI300X", "Instinct MI300X", 5300],
        // the guide's spellings
        ["A2000", "RTX A2000", 288],
        ["A4500", "RTX A4500", 640],
        ["A5000", "RTX A5000", 768],
        ["A6000", "RTX A6000", 768],
        ["RTX 8000", "Quadro RTX 8000", 672],
        ["A100 40GB", "A100", 1555],
        ["V100", "Tesla V100", 900],
        ["P40", "Tesla P40", 346],
        ["A40", "A40", 696],
        ["GTX 1660", "GTX 1660", 192],
        ["RX 5700 XT", "RX 5700 XT", 448],
        ["RX 6900 XT", "RX 6900 XT", 512]
    ])("%s -> %s", (name, row, bandwidth) => {
        const spec = lookupGpu(name);
        expect(spec?.name).toBe(row);
        expect(spec?.bandwidthGBs).toBe(bandwidth);
    });

    it("does not give a sibling's figures to an unknown variant", () => {
        expect(lookupGpu("NVIDIA GeForce RTX 3080 Laptop GPU")).toBeNull();
        expect(lookupGpu("AMD Radeon RX 6800M")).toBeNull();
        expect(lookupGpu("Apple M5")).toBeNull();
        expect(lookupGpu("llvmpipe (LLVM 15.0.6, 256 bits)")).toBeNull();
        expect(lookupGpu("")).toBeNull();
        expect(gpuBandwidthGBs("Microsoft Basic Display Adapter")).toBeNull();
    });

    it("gives no figures for a memory size no configuration of the product has", () => {
        // The RTX 3080 20GB was never sold: neither the 10 GB (760 GB/s) nor the 12 GB (912 GB/s) card is it.
        expect(lookupGpu("RTX 3080 20GB")).toBeNull();
        expect(lookupGpu("NVIDIA GeForce RTX 3080", 20 * GiB)).toBeNull();
        // Reserved memory or ECC still finds the configuration.
        expect(lookupGpu("NVIDIA RTX A2000 12GB", 11.5 * GiB)?.vramGB).toBe(12);
        expect(lookupGpu("Tesla P100-PCIE-12GB")?.bandwidthGBs).toBe(549);
        expect(lookupGpu("NVIDIA GeForce RTX 3050", 6 * GiB)?.bandwidthGBs).toBe(168);
    });

    it("picks the memory configuration by detected VRAM or a size in the name", () => {
        expect(lookupGpu("NVIDIA GeForce RTX 3060")?.vramGB).toBe(12);
        expect(lookupGpu("NVIDIA GeForce RTX 3060", 8 * GiB)?.bandwidthGBs).toBe(240);
        expect(lookupGpu("NVIDIA GeForce RTX 3080", 10 * GiB)?.bandwidthGBs).toBe(760);
        expect(lookupGpu("NVIDIA GeForce RTX 3080", 12 * GiB - 300 * 2 ** 20)?.bandwidthGBs).toBe(912);
        expect(lookupGpu("NVIDIA GeForce RTX 2060 12GB")?.vramGB).toBe(12);
        expect(lookupGpu("NVIDIA A100 80GB PCIe")?.bandwidthGBs).toBe(1935);
    });

    it("has a positive size, bandwidth and a source on every row", () => {
        for (const spec of GPU_TABLE) {
            expect(spec.vramGB, spec.name).toBeGreaterThan(0);
            expect(spec.bandwidthGBs, spec.name).toBeGreaterThan(0);
            expect(spec.source.length, spec.name).toBeGreaterThan(10);
        }
    });

    it("finds every row by its own name", () => {
        for (const spec of GPU_TABLE)
            expect(lookupGpu(`${spec.vendor} ${spec.name}`, spec.vramGB * GiB), spec.name).toEqual(spec);
    });
});
