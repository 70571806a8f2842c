// What llama.cpp itself says about this machine: the CPU features its kernels use, the GPU backend it could
// load, the GPU devices and their memory. Loads node-llama-cpp's prebuilt binaries (never builds), then
// disposes the instance: the benchmark loads its own, in a child process.
import {readFile} from "node:fs/promises";
import {createRequire} from "node:module";
import path from "node:path";
import {getLlama, getLlamaGpuTypes} from "node-llama-cpp";
import {llamaBinaryOptions} from "./llamaBinaryOptions.js";

export interface LlamaInfo {
    systemInfo: string,
    /** The backend llama.cpp runs on: "cuda", "vulkan", "metal", or "cpu" when its binary found no device it
     *  uses (a Vulkan binary with only a software device is a CPU run: llama.cpp skips CPU-type devices). */
    backend: string,
    /** The GPU backend of the binary node-llama-cpp loaded, whether or not it found a device; "cpu" for none. */
    binaryBackend: string,
    /** GPU backends node-llama-cpp considers usable on this machine. */
    supportedGpuTypes: string[],
    gpuDeviceNames: string[],
    vram: {total: number, free: number, unifiedSize: number} | null,
    llamaCppRelease: string,
    buildType: string
}

/** Loads llama.cpp ("auto": the best GPU backend that works, else CPU) and reads what it reports. */
export async function readLlamaInfo(gpu: "auto" | false): Promise<LlamaInfo> {
    const llama = await getLlama({gpu, build: "never", ...llamaBinaryOptions("prebuilt"), progressLogs: false});
    try {
        const binaryBackend = llama.gpu === false ? "cpu" : llama.gpu;
        const [gpuDeviceNames, vram, supported] = await Promise.all([
            binaryBackend === "cpu" ? Promise.resolve([]) : llama.getGpuDeviceNames(),
            binaryBackend === "cpu" ? Promise.resolve(null) : llama.getVramState(),
            getLlamaGpuTypes("supported")
        ]);
        return {
            systemInfo: llama.systemInfo,
            backend: gpuDeviceNames.length > 0 ? binaryBackend : "cpu",
            binaryBackend,
            supportedGpuTypes: supported.filter((type): type is Exclude<typeof type, false> => type !== false),
            gpuDeviceNames,
            vram: vram != null && gpuDeviceNames.length > 0 ? {total: vram.total, free: vram.free, unifiedSize: vram.unifiedSize} : null,
            llamaCppRelease: llama.llamaCppRelease.release,
            buildType: llama.buildType
        };
    } finally {
        await llama.dispose();
    }
}

/** The installed node-llama-cpp version, from its package.json. */
export async function nodeLlamaCppVersion(): Promise<string> {
    try {
        const entry = createRequire(import.meta.url).resolve("node-llama-cpp");
        for (let dir = path.dirname(entry); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
            try {
                const json = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as {name?: string, version?: string};
                if (json.name === "node-llama-cpp" && json.version != null)
                    return json.version;
            } catch {
                // keep walking up
            }
        }
    } catch {
        // not resolvable
    }
    return "unknown";
}
