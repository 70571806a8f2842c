import {describe, expect, it} from "vitest";
import {describeDevice} from "../../src-main/engine/hardware/describeDevice.js";
import {chosenGpuDevice, deviceKindFromLog, listLlamaDevices, resolveGpuDevice, visibleDevicesEnv, type DeviceProbe} from "../../src-main/engine/hardware/listLlamaDevices.js";

// llama.cpp's Vulkan log for Mesa's lavapipe, as the prebuilt binary printed it here with GGML_VK_VISIBLE_DEVICES=0.
const lavapipeLog = [
    "ggml_vulkan: Found 1 Vulkan devices:",
    "ggml_vulkan: 0 = llvmpipe (LLVM 15.0.6, 256 bits) (llvmpipe) | uma: 0 | fp16: 1 | bf16: 0 | fp4: 0 | warp size: 8 | shared memory: 32768 | int dot: 0 | matrix cores: none",
    "ggml_vulkan: Warning: Device type is CPU. This is probably not the device you want."
];
const discreteLog = ["ggml_vulkan: 0 = NVIDIA GeForce RTX 3090 (NVIDIA) | uma: 0 | fp16: 1 | bf16: 0 | warp size: 32 | shared memory: 49152 | int dot: 1 | matrix cores: NV_coopmat2"];
const integratedLog = ["ggml_vulkan: 0 = AMD Radeon Graphics (RADV GFX1103_R1) (radv) | uma: 1 | fp16: 1 | bf16: 0 | warp size: 64 | shared memory: 65536 | int dot: 1 | matrix cores: KHR_coopmat"];

describe("deviceKindFromLog", () => {
    it("reads a CPU-type Vulkan device as software, by its type, not its name", () => {
        expect(deviceKindFromLog("vulkan", lavapipeLog).value).toBe("software");
        expect(deviceKindFromLog("vulkan", [lavapipeLog[1]!]).value).toBe("discrete");
    });
    it("reads uma as integrated, its absence as discrete, and says when nothing was logged", () => {
        expect(deviceKindFromLog("vulkan", integratedLog).value).toBe("integrated");
        expect(deviceKindFromLog("vulkan", discreteLog).value).toBe("discrete");
        expect(deviceKindFromLog("vulkan", []).value).toBeNull();
        expect(deviceKindFromLog("cuda", []).note).toMatch(/does not say/);
    });
});

describe("listLlamaDevices", () => {
    const probes: Array<Record<string, string>> = [];
    const machine: DeviceProbe[] = [
        {names: ["NVIDIA GeForce RTX 3090"], vram: {total: 24e9, free: 23e9}, log: discreteLog},
        {names: ["llvmpipe (LLVM 15.0.6, 256 bits)"], vram: {total: 2 ** 31, free: 2 ** 31}, log: lavapipeLog}
    ];
    const probe = async (_backend: string, env: Record<string, string>): Promise<DeviceProbe> => {
        probes.push(env);
        return machine[Number(env.GGML_VK_VISIBLE_DEVICES)] ?? {names: [], vram: null, log: [], error: "NoBinaryFoundError"};
    };

    it("probes each device alone until one past the last, and uses software devices only when asked", async () => {
        const devices = await listLlamaDevices({backend: "vulkan", probe, env: {}});
        expect(probes).toEqual([{GGML_VK_VISIBLE_DEVICES: "0"}, {GGML_VK_VISIBLE_DEVICES: "1"}, {GGML_VK_VISIBLE_DEVICES: "2"}]);
        expect(devices.map((device) => [device.name.value, device.kind.value, device.vramTotalBytes.value, device.usedByDefault]))
            .toEqual([["NVIDIA GeForce RTX 3090", "discrete", 24e9, true], ["llvmpipe (LLVM 15.0.6, 256 bits)", "software", 2 ** 31, false]]);

        const asked = await listLlamaDevices({backend: "vulkan", probe, env: {GGML_VK_VISIBLE_DEVICES: "1"}});
        expect(asked.map((device) => device.usedByDefault)).toEqual([false, true]);
        expect(chosenGpuDevice(asked, undefined, {GGML_VK_VISIBLE_DEVICES: "1"})).toEqual({backend: "vulkan", index: 1, name: "llvmpipe (LLVM 15.0.6, 256 bits)", kind: "software"});
        expect(chosenGpuDevice(asked, undefined, {})).toBeUndefined();
    });

    it("has no devices for a backend without a device variable, and none for the CPU", async () => {
        expect(await listLlamaDevices({backend: "cpu", probe})).toEqual([]);
    });

    it("resolves --gpu-device by index or by part of the name, with a one-line error listing the devices", async () => {
        const devices = await listLlamaDevices({backend: "vulkan", probe, env: {}});
        expect(resolveGpuDevice(devices, "1").name.value).toMatch(/llvmpipe/);
        expect(resolveGpuDevice(devices, "LLVMpipe").index).toBe(1);
        expect(() => resolveGpuDevice(devices, "7")).toThrow(/^--gpu-device "7" is not a device llama.cpp can use \(devices: 0 = NVIDIA GeForce RTX 3090, 1 = llvmpipe/);
        expect(visibleDevicesEnv(devices[1]!)).toEqual({GGML_VK_VISIBLE_DEVICES: "1"});
        expect(visibleDevicesEnv({backend: "cuda", index: 2})).toEqual({CUDA_VISIBLE_DEVICES: "2"});
        expect(visibleDevicesEnv({backend: "metal", index: 0})).toEqual({});
    });

    it("names a software device as running on the CPU, and a GPU by its name", () => {
        expect(describeDevice("llvmpipe (LLVM 15.0.6, 256 bits)", "software", "vulkan")).toBe("llvmpipe (LLVM 15.0.6, 256 bits): software Vulkan device (runs on the CPU)");
        expect(describeDevice("NVIDIA GeForce RTX 3090", "discrete", "cuda")).toBe("NVIDIA GeForce RTX 3090");
    });
});
