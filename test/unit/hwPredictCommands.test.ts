import {afterEach, describe, expect, it, vi} from "vitest";
import {Command} from "commander";
import type {HardwareProfile} from "../../src-main/engine/types.js";

const none = {value: null, source: "none" as const, note: "not reported"};
const profile: HardwareProfile = {
    detectedAt: "2026-01-01T00:00:00.000Z",
    os: {platform: "linux", distro: {value: "Debian", source: "systeminformation"}, release: {value: "12", source: "systeminformation"}, arch: "x64",
        virtualised: {value: true, source: "systeminformation", note: "virtual host: KVM"}},
    cpu: {brand: {value: "Test CPU", source: "systeminformation"}, physicalCores: {value: 2, source: "systeminformation"},
        logicalCores: {value: 2, source: "systeminformation"}, simd: {value: ["AVX2"], source: "node-llama-cpp"}, speedGHz: none},
    memory: {totalBytes: {value: 32 * 2 ** 30, source: "systeminformation"}, freeBytes: {value: 30 * 2 ** 30, source: "systeminformation"},
        modules: none, theoreticalGBs: {value: 51.2, source: "user", note: "DDR4-3200 x 2 channels"}},
    bandwidth: {value: {read1GBs: 20, readAllGBs: 35.5, copy1GBs: 18, copyAllGBs: 30, threads: 2, bufferBytes: 2 ** 28, durationMs: 3000}, source: "measured"},
    gpus: [],
    backends: {cuda: false, vulkan: false, metal: false, cpu: true, used: "cpu"},
    disk: {path: "/models", device: {value: "/dev/vda", source: "systeminformation"}, kind: none, freeBytes: {value: 1e11, source: "systeminformation"}},
    nodeLlamaCppVersion: "3.22.1",
    llamaCppRelease: "v0.5.0"
};
const getHardwareProfile = vi.hoisted(() => vi.fn());
vi.mock("../../src-main/engine/hardware/detectHardware.js", () => ({getHardwareProfile}));

const {registerHwCommand} = await import("../../src-main/cli/commands/hwCommand.js");
const {registerPredictCommand} = await import("../../src-main/cli/commands/predictCommand.js");

async function run(args: string[]): Promise<string> {
    getHardwareProfile.mockResolvedValue(profile);
    let out = "";
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        out += String(chunk);
        return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
        const program = new Command().exitOverride();
        registerHwCommand(program);
        registerPredictCommand(program);
        await program.parseAsync(["node", "llamameter", ...args]);
    } finally {
        write.mockRestore();
    }
    return out;
}

afterEach(() => {
    vi.restoreAllMocks();
    getHardwareProfile.mockReset();
});

describe("llamameter hw", () => {
    it("prints each field with its source, measured and theoretical bandwidth", async () => {
        const text = await run(["hw", "--bandwidth", "skip"]);
        expect(getHardwareProfile).toHaveBeenCalledWith({bandwidth: "skip"});
        expect(text).toMatch(/^field\s+value\s+source$/m);
        expect(text).toMatch(/^physical cores\s+2\s+systeminformation$/m);
        expect(text).toMatch(/^clock\s+unknown\s+none \(not reported\)$/m);
        expect(text).toMatch(/^bandwidth, theoretical\s+51\.2 GB\/s\s+user \(DDR4-3200 x 2 channels\)$/m);
        expect(text).toMatch(/^bandwidth, measured read\s+20 GB\/s \(1 thread\), 35\.5 GB\/s \(2 threads\)\s+measured$/m);
        expect(text).toMatch(/^measured \/ theoretical\s+69%/m);
    });

    it("prints the probe's read windows, and below the table that the machine may be busy", async () => {
        const windows = (values: number[]) => ({windowsGBs: values, backgroundCores: values.map(() => 1.2), quietWindows: 0,
            min: Math.min(...values), median: values[1]!, max: Math.max(...values), relative: 1 - Math.min(...values) / Math.max(...values)});
        const busy = {...profile, bandwidth: {...profile.bandwidth, value: {...profile.bandwidth.value!, backgroundCores: 1.2,
            spread: {read1: windows([10, 15, 20]), readAll: windows([31, 33, 35.5]), copy1: windows([18, 18, 18]), copyAll: windows([30, 30, 30])}}}};
        const {formatHardwareProfile} = await import("../../src-main/cli/commands/hwCommand.js");
        const text = formatHardwareProfile(busy);
        expect(text).toMatch(/^bandwidth, read windows\s+1 thread 10\.0–20\.0 GB\/s \(50%, 3 windows\), 2 threads 31\.0–35\.5 GB\/s \(13%, 3 windows\)\s+measured$/m);
        expect(text).toMatch(/\n\nThe machine may be busy: other processes kept 1\.2 cores busy during the probe, and its windows differed by up to 1 thread 50%, so .*\n$/);
        expect(formatHardwareProfile(profile)).not.toMatch(/may be busy/);
    });

    it("prints JSON with --json", async () => {
        expect(JSON.parse(await run(["hw", "--json", "--cpu", "--ram", "DDR4-3200x2"]))).toEqual(profile);
        expect(getHardwareProfile).toHaveBeenCalledWith({bandwidth: "measure", ramSpec: "DDR4-3200x2", gpu: false});
    });
});

describe("llamameter predict", () => {
    it("predicts a what-if shape on a described machine without measuring", async () => {
        const result = JSON.parse(await run(["predict", "--shape", "7b", "--type", "q4_0", "--ram", "DDR4-3600x2", "--context", "2048", "--json"]));
        expect(getHardwareProfile).toHaveBeenCalledWith({bandwidth: "skip"});
        expect(result.bandwidthGBs).toBeCloseTo(57.6, 3);
        expect(result.gpuLayers).toBe(0);
        expect(result.ceilingTps).toBeGreaterThan(57.6 / 4);
        expect(result.ceilingTps).toBeLessThan(57.6 / 3.5);
    });

    it("uses this machine's measured bandwidth and prints a table", async () => {
        const text = await run(["predict", "--shape", "13b", "--gpu", "RTX 4090"]);
        expect(getHardwareProfile).toHaveBeenCalledWith({bandwidth: "measure"});
        expect(text).toMatch(/^GPU layers\s+41$/m);
        expect(text).toMatch(/RAM: 35\.5 GB\/s measured here/);
        expect(text).toMatch(/fits on GPU/);
    });
});
