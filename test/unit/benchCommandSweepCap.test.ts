// Issue 13, Broken 1 in the CLI: `bench` refuses a sweep over the cap with the same one line as the
// API, before any test runs (runSweep is never called).
import {describe, expect, it, vi} from "vitest";
import {Command} from "commander";
import type {HardwareProfile} from "../../src-main/engine/types.js";

const getHardwareProfile = vi.hoisted(() => vi.fn());
const runSweep = vi.hoisted(() => vi.fn());
vi.mock("../../src-main/engine/hardware/detectHardware.js", () => ({getHardwareProfile, clearHardwareProfileCache: vi.fn()}));
vi.mock("../../src-main/engine/bench/runSweep.js", () => ({runSweep}));

const {registerBenchCommand} = await import("../../src-main/cli/commands/benchCommand.js");

describe("bench: the sweep-size cap", () => {
    it("refuses 1-64 threads x 64 prompt sizes x 4 generation sizes (16,384 tests) in one line, running nothing", async () => {
        getHardwareProfile.mockResolvedValue({
            cpu: {physicalCores: {value: 2, source: "systeminformation"}, logicalCores: {value: 2, source: "systeminformation"}},
            gpus: [], backends: {cuda: false, vulkan: false, metal: false, cpu: true, used: "cpu"}
        } as unknown as HardwareProfile);
        const program = new Command().exitOverride();
        registerBenchCommand(program);
        const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
        try {
            const run = program.parseAsync(["node", "llamameter", "bench", "-m", "/nowhere/a.gguf", "-t", "1-64+1", "-p", "1-64+1", "-n", "1,2,3,4",
                "--bandwidth", "skip"]);
            await expect(run).rejects.toThrow(/^the sweep has 16,384 tests \(1 model x 1 GPU layer count x 64 thread counts.*at most 10,000 can run in one sweep/);
        } finally {
            stderr.mockRestore();
        }
        expect(runSweep).not.toHaveBeenCalled();
    });
});
