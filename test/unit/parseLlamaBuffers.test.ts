import {describe, expect, it} from "vitest";
import {deviceBufferBytes, parseLlamaBuffers} from "../../src-main/engine/bench/parseLlamaBuffers.js";
import {parseProcessStatus} from "../../src-main/engine/bench/processMemory.js";

const MiB = 1024 * 1024;

describe("parseLlamaBuffers", () => {
    it("reads the offload line and each buffer; device buffers are the non-host ones", () => {
        // llama.cpp's lines for the 116 MB model, all layers on lavapipe (Vulkan0)
        const parsed = parseLlamaBuffers([
            "load_tensors: offloading 15 repeating layers to GPU",
            "load_tensors: offloaded 17/17 layers to GPU",
            "load_tensors:   CPU_Mapped model buffer size =    17.58 MiB",
            "load_tensors:      Vulkan0 model buffer size =    93.26 MiB",
            "llama_context: Vulkan_Host  output buffer size =     0.12 MiB",
            "llama_kv_cache:    Vulkan0 KV buffer size =     8.00 MiB",
            "sched_reserve:    Vulkan0 compute buffer size =    33.25 MiB",
            "sched_reserve: Vulkan_Host compute buffer size =     3.25 MiB",
            "load_tensors:          AMX model buffer size =    93.13 MiB",
            "load_tensors:   CPU_REPACK model buffer size =   519.75 MiB"
        ]);
        expect(parsed.offloaded).toEqual({layers: 17, total: 17});
        expect(parsed.buffers).toHaveLength(8);
        const device = deviceBufferBytes(parsed.buffers);
        expect(Object.keys(device.byDevice)).toEqual(["Vulkan0"]);
        expect(device.total).toBe(Math.round(93.26 * MiB) + 8 * MiB + Math.round(33.25 * MiB));
    });
});

describe("parseProcessStatus", () => {
    it("reads VmRSS, VmHWM, RssAnon and RssFile in bytes, null when one is missing", () => {
        const status = "Name:\tnode\nVmHWM:\t  397000 kB\nVmRSS:\t  380000 kB\nRssAnon:\t  241000 kB\nRssFile:\t  139000 kB\nRssShmem:\t 0 kB\n";
        expect(parseProcessStatus(status)).toEqual({rssBytes: 380000 * 1024, peakBytes: 397000 * 1024, anonBytes: 241000 * 1024, fileBytes: 139000 * 1024});
        expect(parseProcessStatus("VmRSS:\t1 kB\n")).toBeNull();
    });
});
