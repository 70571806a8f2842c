// Spec-sheet memory size and bandwidth of GPUs people run llama.cpp on. Token generation on a GPU is bound
// by its memory bandwidth the way CPU generation is bound by DRAM, so this table gives the GPU side of the
// ceiling. Figures are the vendors' published specifications (the page named in `source`); where one
// product name ships with two memory configurations, both rows exist and `lookupGpu` picks by VRAM.
// Checked 2026-12 (no internet: stored copies of vendor press material, TechPowerUp-derived spec pages, reviews):
// the cards the hardware guide names (RTX 3060/3080/3090/4090, GTX 1660, RX 5700 XT, RX 6900 XT, RTX A2000/A4500/
// A6000, A100 40GB, A40, P40) and most GeForce 30/40/50, RX 7000/9000, Arc, A100/H100 NVL/L4, MI300X and M4 rows
// agreed with what was found; rows without a found source are unchanged. Names as the guide writes them ("A5000",
// "RTX 8000") are aliases; the RTX 3050 6 GB and Tesla P100 12 GB rows were added (a lookup fell on a sibling's figures).

export interface GpuSpec {
    /** Canonical name without the brand prefix, e.g. "RTX 3090", "RX 7900 XTX", "M2 Max". */
    name: string,
    vendor: "NVIDIA" | "AMD" | "Intel" | "Apple",
    /** Other spellings that identify the same product, e.g. "Quadro RTX 6000". */
    aliases?: string[],
    /** Memory size in GB as marketed (binary: 24 GB = 24 GiB). Apple silicon: the largest unified-memory configuration. */
    vramGB: number,
    /** Peak memory bandwidth, GB/s (1e9 bytes/s) as published. */
    bandwidthGBs: number,
    memoryType: string,
    /** Apple silicon: CPU and GPU share the memory (and its bandwidth). */
    unified?: boolean,
    /** The vendor specification page the figures come from. */
    source: string,
    note?: string
}

const NV_GTX10 = "NVIDIA GeForce GTX 10 Series product specifications (nvidia.com)";
const NV_GTX16 = "NVIDIA GeForce GTX 16 Series product specifications (nvidia.com)";
const NV_RTX20 = "NVIDIA GeForce RTX 20 Series product specifications (nvidia.com)";
const NV_RTX30 = "NVIDIA GeForce RTX 30 Series product specifications (nvidia.com)";
const NV_RTX40 = "NVIDIA GeForce RTX 40 Series product specifications (nvidia.com)";
const NV_RTX50 = "NVIDIA GeForce RTX 50 Series product specifications (nvidia.com)";
const NV_PRO = "NVIDIA professional (Quadro / RTX) GPU datasheet (nvidia.com)";
const NV_DC = "NVIDIA data-centre GPU datasheet (nvidia.com)";
const AMD_RX5000 = "AMD Radeon RX 5000 Series product specifications (amd.com)";
const AMD_RX6000 = "AMD Radeon RX 6000 Series product specifications (amd.com)";
const AMD_RX7000 = "AMD Radeon RX 7000 Series product specifications (amd.com)";
const AMD_RX9000 = "AMD Radeon RX 9000 Series product specifications (amd.com)";
const AMD_PRO = "AMD Radeon PRO / Radeon VII product specifications (amd.com)";
const AMD_MI = "AMD Instinct accelerator datasheet (amd.com)";
const INTEL_ARC = "Intel Arc graphics product specifications (intel.com / ark.intel.com)";
const APPLE = "Apple newsroom / tech specs of the Mac models with this chip (apple.com)";

type Row = [name: string, vramGB: number, bandwidthGBs: number, memoryType: string, extra?: Partial<GpuSpec>];

function rows(vendor: GpuSpec["vendor"], source: string, list: Row[]): GpuSpec[] {
    return list.map(([name, vramGB, bandwidthGBs, memoryType, extra]) => ({
        name, vendor, vramGB, bandwidthGBs, memoryType, source, ...extra
    }));
}

export const GPU_TABLE: readonly GpuSpec[] = [
    ...rows("NVIDIA", NV_GTX10, [
        ["GTX 1050", 2, 112, "GDDR5"],
        ["GTX 1050 Ti", 4, 112, "GDDR5"],
        ["GTX 1060", 6, 192, "GDDR5"],
        ["GTX 1060", 3, 192, "GDDR5"],
        ["GTX 1070", 8, 256, "GDDR5"],
        ["GTX 1070 Ti", 8, 256, "GDDR5"],
        ["GTX 1080", 8, 320, "GDDR5X"],
        ["GTX 1080 Ti", 11, 484, "GDDR5X"],
        ["Titan X Pascal", 12, 480, "GDDR5X", {aliases: ["TITAN X (Pascal)"]}],
        ["Titan Xp", 12, 547.7, "GDDR5X"]
    ]),
    ...rows("NVIDIA", NV_GTX16, [
        ["GTX 1650", 4, 128, "GDDR5", {note: "the later GDDR6 version has 192 GB/s"}],
        ["GTX 1650 Super", 4, 192, "GDDR6"],
        ["GTX 1660", 6, 192, "GDDR5"],
        ["GTX 1660 Super", 6, 336, "GDDR6"],
        ["GTX 1660 Ti", 6, 288, "GDDR6"]
    ]),
    ...rows("NVIDIA", NV_RTX20, [
        ["RTX 2060", 6, 336, "GDDR6"],
        ["RTX 2060", 12, 336, "GDDR6"],
        ["RTX 2060 Super", 8, 448, "GDDR6"],
        ["RTX 2070", 8, 448, "GDDR6"],
        ["RTX 2070 Super", 8, 448, "GDDR6"],
        ["RTX 2080", 8, 448, "GDDR6"],
        ["RTX 2080 Super", 8, 496, "GDDR6"],
        ["RTX 2080 Ti", 11, 616, "GDDR6"],
        ["Titan RTX", 24, 672, "GDDR6"]
    ]),
    ...rows("NVIDIA", NV_RTX30, [
        ["RTX 3050", 8, 224, "GDDR6"],
        ["RTX 3050", 6, 168, "GDDR6", {note: "the 6 GB card (2024) has a 96-bit bus"}],
        ["RTX 3060", 12, 360, "GDDR6"],
        ["RTX 3060", 8, 240, "GDDR6"],
        ["RTX 3060 Ti", 8, 448, "GDDR6", {note: "the GDDR6X version has 608 GB/s"}],
        ["RTX 3070", 8, 448, "GDDR6"],
        ["RTX 3070 Ti", 8, 608, "GDDR6X"],
        ["RTX 3080", 10, 760, "GDDR6X"],
        ["RTX 3080", 12, 912, "GDDR6X"],
        ["RTX 3080 Ti", 12, 912, "GDDR6X"],
        ["RTX 3090", 24, 936, "GDDR6X"],
        ["RTX 3090 Ti", 24, 1008, "GDDR6X"]
    ]),
    ...rows("NVIDIA", NV_RTX40, [
        ["RTX 4060", 8, 272, "GDDR6"],
        ["RTX 4060 Ti", 8, 288, "GDDR6"],
        ["RTX 4060 Ti", 16, 288, "GDDR6"],
        ["RTX 4070", 12, 504, "GDDR6X"],
        ["RTX 4070 Super", 12, 504, "GDDR6X"],
        ["RTX 4070 Ti", 12, 504, "GDDR6X"],
        ["RTX 4070 Ti Super", 16, 672, "GDDR6X"],
        ["RTX 4080", 16, 716.8, "GDDR6X"],
        ["RTX 4080 Super", 16, 736, "GDDR6X"],
        ["RTX 4090", 24, 1008, "GDDR6X"]
    ]),
    ...rows("NVIDIA", NV_RTX50, [
        ["RTX 5060", 8, 448, "GDDR7"],
        ["RTX 5060 Ti", 16, 448, "GDDR7"],
        ["RTX 5060 Ti", 8, 448, "GDDR7"],
        ["RTX 5070", 12, 672, "GDDR7"],
        ["RTX 5070 Ti", 16, 896, "GDDR7"],
        ["RTX 5080", 16, 960, "GDDR7"],
        ["RTX 5090", 32, 1792, "GDDR7"]
    ]),
    ...rows("NVIDIA", NV_PRO, [
        ["Quadro P4000", 8, 243, "GDDR5"],
        ["Quadro P5000", 16, 288, "GDDR5X"],
        ["Quadro P6000", 24, 432, "GDDR5X"],
        ["Quadro RTX 4000", 8, 416, "GDDR6"],
        ["Quadro RTX 5000", 16, 448, "GDDR6"],
        ["Quadro RTX 6000", 24, 672, "GDDR6"],
        ["Quadro RTX 8000", 48, 672, "GDDR6", {aliases: ["RTX 8000"]}],
        ["RTX A2000", 6, 288, "GDDR6", {aliases: ["A2000"]}],
        ["RTX A2000", 12, 288, "GDDR6", {aliases: ["A2000"]}],
        ["RTX A4000", 16, 448, "GDDR6", {aliases: ["A4000"]}],
        ["RTX A4500", 20, 640, "GDDR6", {aliases: ["A4500"]}],
        ["RTX A5000", 24, 768, "GDDR6", {aliases: ["A5000"]}],
        ["RTX A6000", 48, 768, "GDDR6", {aliases: ["A6000"]}],
        ["RTX 4000 Ada", 20, 360, "GDDR6", {aliases: ["RTX 4000 Ada Generation"]}],
        ["RTX 5000 Ada", 32, 576, "GDDR6", {aliases: ["RTX 5000 Ada Generation"]}],
        ["RTX 6000 Ada", 48, 960, "GDDR6", {aliases: ["RTX 6000 Ada Generation"]}]
    ]),
    ...rows("NVIDIA", NV_DC, [
        ["Tesla P40", 24, 346, "GDDR5", {aliases: ["P40"]}],
        ["Tesla P100", 16, 732, "HBM2", {aliases: ["P100"]}],
        ["Tesla P100", 12, 549, "HBM2", {aliases: ["P100"], note: "the 12 GB PCIe card has three of the four HBM2 stacks"}],
        ["Tesla T4", 16, 320, "GDDR6", {aliases: ["T4"]}],
        ["Tesla V100", 32, 900, "HBM2", {aliases: ["V100"]}],
        ["Tesla V100", 16, 900, "HBM2", {aliases: ["V100"]}],
        ["V100S", 32, 1134, "HBM2", {aliases: ["Tesla V100S"]}],
        ["A10", 24, 600, "GDDR6"],
        ["A40", 48, 696, "GDDR6"],
        ["A100", 40, 1555, "HBM2", {note: "A100 40GB PCIe"}],
        ["A100", 80, 1935, "HBM2e", {note: "A100 80GB PCIe; the SXM module has 2039 GB/s"}],
        ["A100 SXM4", 80, 2039, "HBM2e", {aliases: ["A100-SXM4"]}],
        ["A100 SXM4", 40, 1555, "HBM2", {aliases: ["A100-SXM4"]}],
        ["H100 PCIe", 80, 2000, "HBM2e", {aliases: ["H100"]}],
        ["H100 SXM", 80, 3350, "HBM3", {aliases: ["H100 SXM5", "H100 80GB HBM3"]}],
        ["H100 NVL", 94, 3900, "HBM3"],
        ["H200", 141, 4800, "HBM3e"],
        ["L4", 24, 300, "GDDR6"],
        ["L40", 48, 864, "GDDR6"],
        ["L40S", 48, 864, "GDDR6"]
    ]),
    ...rows("AMD", AMD_RX5000, [
        ["RX 5500 XT", 8, 224, "GDDR6"],
        ["RX 5500 XT", 4, 224, "GDDR6"],
        ["RX 5600 XT", 6, 288, "GDDR6", {note: "boards with the 14 Gbps BIOS reach 336 GB/s"}],
        ["RX 5700", 8, 448, "GDDR6"],
        ["RX 5700 XT", 8, 448, "GDDR6"]
    ]),
    ...rows("AMD", AMD_RX6000, [
        ["RX 6500 XT", 4, 144, "GDDR6"],
        ["RX 6600", 8, 224, "GDDR6"],
        ["RX 6600 XT", 8, 256, "GDDR6"],
        ["RX 6650 XT", 8, 280, "GDDR6"],
        ["RX 6700 XT", 12, 384, "GDDR6"],
        ["RX 6750 XT", 12, 432, "GDDR6"],
        ["RX 6800", 16, 512, "GDDR6"],
        ["RX 6800 XT", 16, 512, "GDDR6"],
        ["RX 6900 XT", 16, 512, "GDDR6"],
        ["RX 6950 XT", 16, 576, "GDDR6"]
    ]),
    ...rows("AMD", AMD_RX7000, [
        ["RX 7600", 8, 288, "GDDR6"],
        ["RX 7600 XT", 16, 288, "GDDR6"],
        ["RX 7700 XT", 12, 432, "GDDR6"],
        ["RX 7800 XT", 16, 624, "GDDR6"],
        ["RX 7900 GRE", 16, 576, "GDDR6"],
        ["RX 7900 XT", 20, 800, "GDDR6"],
        ["RX 7900 XTX", 24, 960, "GDDR6"]
    ]),
    ...rows("AMD", AMD_RX9000, [
        ["RX 9060 XT", 16, 320, "GDDR6"],
        ["RX 9060 XT", 8, 320, "GDDR6"],
        ["RX 9070", 16, 640, "GDDR6"],
        ["RX 9070 XT", 16, 640, "GDDR6"]
    ]),
    ...rows("AMD", AMD_PRO, [
        ["Radeon VII", 16, 1024, "HBM2"],
        ["Radeon PRO W7800", 32, 576, "GDDR6", {aliases: ["PRO W7800"]}],
        ["Radeon PRO W7900", 48, 864, "GDDR6", {aliases: ["PRO W7900"]}]
    ]),
    ...rows("AMD", AMD_MI, [
        ["Instinct MI50", 16, 1024, "HBM2", {aliases: ["MI50"]}],
        ["Instinct MI50", 32, 1024, "HBM2", {aliases: ["MI50"]}],
        ["Instinct MI60", 32, 1024, "HBM2", {aliases: ["MI60"]}],
        ["Instinct MI100", 32, 1228.8, "HBM2", {aliases: ["MI100"]}],
        ["Instinct MI210", 64, 1638.4, "HBM2e", {aliases: ["MI210"]}],
        ["Instinct MI250", 128, 3276.8, "HBM2e", {aliases: ["MI250"]}],
        ["Instinct MI250X", 128, 3276.8, "HBM2e", {aliases: ["MI250X"]}],
        ["Instinct MI300X", 192, 5300, "HBM3", {aliases: ["MI300X"]}],
        ["Instinct MI325X", 256, 6000, "HBM3e", {aliases: ["MI325X"]}]
    ]),
    ...rows("Intel", INTEL_ARC, [
        ["Arc A310", 4, 124, "GDDR6"],
        ["Arc A380", 6, 186, "GDDR6"],
        ["Arc A580", 8, 512, "GDDR6"],
        ["Arc A750", 8, 512, "GDDR6"],
        ["Arc A770", 16, 560, "GDDR6"],
        ["Arc A770", 8, 512, "GDDR6"],
        ["Arc B570", 10, 380, "GDDR6"],
        ["Arc B580", 12, 456, "GDDR6"]
    ]),
    ...rows("Apple", APPLE, [
        ["M1", 16, 68.25, "LPDDR4X", {unified: true}],
        ["M1 Pro", 32, 200, "LPDDR5", {unified: true}],
        ["M1 Max", 64, 400, "LPDDR5", {unified: true}],
        ["M1 Ultra", 128, 800, "LPDDR5", {unified: true}],
        ["M2", 24, 100, "LPDDR5", {unified: true}],
        ["M2 Pro", 32, 200, "LPDDR5", {unified: true}],
        ["M2 Max", 96, 400, "LPDDR5", {unified: true}],
        ["M2 Ultra", 192, 800, "LPDDR5", {unified: true}],
        ["M3", 24, 100, "LPDDR5", {unified: true}],
        ["M3 Pro", 36, 150, "LPDDR5", {unified: true}],
        ["M3 Max", 128, 400, "LPDDR5", {unified: true, note: "the binned 14-core CPU / 30-core GPU M3 Max has 300 GB/s"}],
        ["M3 Ultra", 512, 819, "LPDDR5", {unified: true}],
        ["M4", 32, 120, "LPDDR5X", {unified: true}],
        ["M4 Pro", 64, 273, "LPDDR5X", {unified: true}],
        ["M4 Max", 128, 546, "LPDDR5X", {unified: true, note: "the binned 14-core CPU / 32-core GPU M4 Max has 410 GB/s"}]
    ])
];
