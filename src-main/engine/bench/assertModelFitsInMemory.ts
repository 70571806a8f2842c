import {readFile, stat} from "node:fs/promises";
import os from "node:os";
import {GgufInsights, readGgufFileInfo, type Llama} from "node-llama-cpp";
import {validateGguf} from "../models/validateGguf.js";

const GiB = 1024 ** 3;

/**
 * Refuses a load that cannot fit: a model larger than the available RAM would swap or be killed by
 * the OS mid-benchmark, taking minutes to fail. Validates the file first (bounded reads), because
 * node-llama-cpp's parser can spin for minutes on a malformed header. Returns the file size.
 */
export async function assertModelFitsInMemory(
    modelPath: string, gpuLayers: number | "max", contextSize: number,
    options: {
        /** The RAM budget; default what the OS says is available now. */
        ramAvailableBytes?: number,
        /** The llama.cpp binaries this process benchmarks with (see InspectModelOptions.llama for why). */
        llama?: Llama
    } = {}
): Promise<number> {
    await validateGguf(modelPath);
    const {size} = await stat(modelPath);

    const insights = await GgufInsights.from(await readGgufFileInfo(modelPath), options.llama);
    const layers = gpuLayers === "max" ? insights.totalLayers : gpuLayers;
    const modelNeeds = await insights.estimateModelResourceRequirementsV2({gpuLayers: layers});
    const contextNeeds = await insights.estimateContextResourceRequirementsV2({contextSize, modelGpuLayers: layers});
    const ramNeeded = modelNeeds.cpuRam + contextNeeds.cpuRam;
    const ramAvailable = options.ramAvailableBytes ?? await availableRamBytes();
    if (ramNeeded > ramAvailable)
        throw new Error(
            `does not fit in memory: needs ${formatGiB(ramNeeded)} of RAM, ${formatGiB(ramAvailable)} available`
        );
    return size;
}

function formatGiB(bytes: number): string {
    return bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${Math.ceil(bytes / 1024 ** 2)} MiB`;
}

/** Linux's MemAvailable counts reclaimable page cache (os.freemem() does not); elsewhere freemem. */
async function availableRamBytes(): Promise<number> {
    if (process.platform === "linux") {
        try {
            const match = /^MemAvailable:\s+(\d+) kB/m.exec(await readFile("/proc/meminfo", "utf8"));
            if (match != null)
                return Number(match[1]) * 1024;
        } catch {
            // fall through
        }
    }
    return os.freemem();
}
