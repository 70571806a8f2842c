// The bench worker's memory bookkeeping around each test: the resident memory before the model's load
// (the baseline every test of that load is measured from), the peak during the test, llama.cpp's device
// buffers from its log, and the fit advisor's estimate for the same configuration, side by side.
import {readGgufFileInfo, type GgufFileInfo} from "node-llama-cpp";
import type {LoadRecord, MemoryRecord, TestConfig} from "../types.js";
import type {BenchSession} from "./BenchSession.js";
import type {TestMeasurement} from "./measureTest.js";
import type {WorkerSettings} from "./workerProtocol.js";
import {readProcessMemory, startMemoryMeter, type ProcessMemory} from "./processMemory.js";
import {deviceBufferBytes, parseLlamaBuffers, type LlamaBuffers} from "./parseLlamaBuffers.js";
import {effectiveUbatch} from "./sweepAxisNotes.js";
import {opOffloadMinBatch} from "../llama/opOffloadMinBatch.js";
import {estimateMemory} from "../ceiling/estimateMemory.js";
import {parseLlamaSystemInfo} from "../hardware/parseLlamaSystemInfo.js";

export class TestMemoryMeter {
    private baseline: ProcessMemory | null = null;
    /** The model buffers and offload line of the current load: a test that reuses the load logs only its context's. */
    private loadBuffers: LlamaBuffers = {buffers: []};
    private readonly fileInfos = new Map<string, GgufFileInfo>();

    constructor(private readonly session: BenchSession, private readonly settings: WorkerSettings) {}

    /** Call right before measureTest; `finish`, after it, gives the load's offload and the test's memory; `abandon` after a failure. */
    async begin(config: TestConfig): Promise<{
        finish: (measurement: TestMeasurement) => Promise<{load: LoadRecord, memory: MemoryRecord}>,
        abandon: () => void
    }> {
        const newLoad = !this.session.isLoaded(config.modelPath, config.gpuLayers);
        if (newLoad) {
            // Measured from the worker without any model: what the load and the test add.
            await this.session.unloadModel();
            this.baseline = readProcessMemory();
        }
        const stop = this.baseline != null ? startMemoryMeter(this.baseline) : null;
        const mark = this.session.logMark();

        const finish = async (measurement: TestMeasurement) => {
            const peak = stop?.() ?? null;
            const logged = parseLlamaBuffers(this.session.logSince(mark));
            if (newLoad || measurement.load.reused !== true)
                this.loadBuffers = {buffers: logged.buffers.filter((buffer) => buffer.kind === "model"), ...(logged.offloaded != null ? {offloaded: logged.offloaded} : {})};
            const buffers = [...this.loadBuffers.buffers, ...logged.buffers.filter((buffer) => buffer.kind !== "model")];
            const device = deviceBufferBytes(buffers);
            const offloaded = this.loadBuffers.offloaded;
            const load: LoadRecord = {
                ...measurement.load,
                ...(offloaded != null ? {offloadedLayers: offloaded.layers, totalLayers: offloaded.total} : {})
            };
            // llama.cpp logs no offload line when it has no device: nothing went to one.
            if (offloaded == null && load.gpuLayers === 0)
                Object.assign(load, {offloadedLayers: 0, totalLayers: this.session.currentModel?.fileInsights.totalLayers});

            const memory: MemoryRecord = {};
            if (peak != null)
                Object.assign(memory, {ramPeakBytes: peak.peakBytes, ramPeakAnonBytes: peak.anonBytes, ramPeakFileBytes: peak.fileBytes});
            else
                memory.note = "resident memory is read from /proc (Linux only)";
            // Every context logs its KV and compute buffers: without them the log was not captured (the session's
            // buffer dropped it), and a sum of the model buffers alone would pass for the peak.
            if (logged.buffers.some((buffer) => buffer.kind === "compute"))
                Object.assign(memory, {vramPeakBytes: device.total, ...(device.total > 0 ? {vramByDevice: device.byDevice} : {})});
            else
                memory.note = "llama.cpp's buffer lines for this test were not captured: no VRAM figure";
            const deviceInUse = this.session.llama.gpu !== false && this.session.options.gpu !== "cpu" &&
                (await this.session.llama.getGpuDeviceNames()).length > 0;
            const threshold = opOffloadMinBatch(process.env);
            if (deviceInUse)
                load.opOffloadMinBatch = threshold;
            try {
                const fileInfo = this.fileInfos.get(config.modelPath) ?? await readGgufFileInfo(config.modelPath);
                this.fileInfos.set(config.modelPath, fileInfo);
                const estimate = await estimateMemory({
                    fileInfo,
                    gpuLayers: load.offloadedLayers ?? load.gpuLayers,
                    contextSize: measurement.contextSize,
                    batchSize: effectiveUbatch(config),
                    ...(config.typeK != null ? {typeK: config.typeK} : {}),
                    ...(config.typeV != null ? {typeV: config.typeV} : {}),
                    ...(config.useMmap != null ? {useMmap: config.useMmap} : {}),
                    // The depth fill is decoded in batches too: the larger of the two is the largest batch.
                    batchTokens: Math.max(config.nPrompt, config.nDepth ?? 0),
                    opOffloadMinBatch: threshold,
                    flashAttention: config.flashAttention,
                    cpuFeatures: parseLlamaSystemInfo(this.session.llama.systemInfo),
                    deviceInUse,
                    gpuKind: this.settings.gpuDevice?.kind ?? null,
                    llama: this.session.llama
                });
                Object.assign(memory, {
                    ramEstimateBytes: estimate.ramBytes, ramEstimateAnonBytes: estimate.ramAnonBytes,
                    ramEstimateFileBytes: estimate.ramFileBytes, vramEstimateBytes: estimate.vramBytes
                });
            } catch (error) {
                memory.note = [memory.note, `no estimate: ${error instanceof Error ? error.message : String(error)}`].filter(Boolean).join("; ");
            }
            return {load, memory};
        };
        return {finish, abandon: () => void stop?.()};
    }
}
