import {opOffloadMinBatch} from "../../src-main/engine/llama/opOffloadMinBatch.js";
import {describe, expect, it} from "vitest";
import {
    annotateResultWithCeiling, bandwidthForThreads, fallsShortOfNative, outsideShare, bytesPerToken, ceilingTpsFor, computeCeiling, explainGap, kvBytesPerLayer,
    meanGenerationDepth, kvCellsRead
} from "../../src-main/engine/ceiling/ceiling.js";
import {parseRamSpec} from "../../src-main/engine/hardware/parseRamSpec.js";
import type {BandwidthMeasurement, HardwareProfile, ModelInfo, Stats, TestResult} from "../../src-main/engine/types.js";
import {sampleResults} from "./fixtures/sampleResults.js";

// A small model with round numbers: 4 layers of 1 MB, a 0.5 MB output head, a 1 MB embedding table of
// 1000 rows (1 kB read per token), n_embd_kv = 64 / 8 * 2 = 16.
const model = {
    nLayer: 4, nEmbd: 64, nHead: 8, nHeadKv: 2, vocabSize: 1000,
    bytesPerLayer: 1e6, tokenEmbdBytes: 1e6, outputBytes: 0.5e6
};

describe("the guide's ceiling arithmetic", () => {
    it("115 GB/s over a 13 GB model: about 8.8 tokens/s", () => {
        expect(ceilingTpsFor(115, 13e9)).toBeCloseTo(8.846, 3);
        expect(Math.floor(ceilingTpsFor(115, 13e9) * 10) / 10).toBe(8.8);
    });

    it("DDR4-3600 x 2 = 57.6 GB/s: 7.2 tokens/s for an 8 GB model", () => {
        const ram = parseRamSpec("DDR4-3600 x2")!;
        expect(ram.theoreticalGBs).toBe(57.6);
        expect(ceilingTpsFor(ram.theoreticalGBs, 8e9)).toBeCloseTo(7.2, 6);
    });

    it("DDR5-5600 x 2 = 89.6 GB/s: 11.2 tokens/s for an 8 GB model", () => {
        expect(ceilingTpsFor(parseRamSpec("DDR5-5600x2")!.theoreticalGBs, 8e9)).toBeCloseTo(11.2, 6);
    });
});

describe("bytesPerToken", () => {
    it("reads every layer, the output head and one embedding row on the CPU", () => {
        const split = bytesPerToken({model});
        expect(split).toEqual({total: 4e6 + 0.5e6 + 1e3, weights: 4e6 + 0.5e6 + 1e3, kv: 0, cpu: 4.501e6, gpu: 0, gpuRepeatingLayers: 0, outputOnGpu: false,
            perLayer: 1e6, outputHead: 0.5e6});
    });

    it("adds the f16 KV cache at the depth: 2 x n_layer x depth x n_embd_kv x 2 bytes", () => {
        expect(kvBytesPerLayer(model, 100)).toBe(2 * 100 * 16 * 2);
        const split = bytesPerToken({model, depth: 100});
        expect(split.kv).toBe(4 * 2 * 100 * 16 * 2);
        expect(split.total).toBe(4.501e6 + split.kv);
    });

    it("splits layers as llama.cpp offloads them: the output head only when gpuLayers > nLayer", () => {
        const two = bytesPerToken({model, gpuLayers: 2, depth: 10});
        const kvLayer = kvBytesPerLayer(model, 10);
        expect(two.gpu).toBe(2 * (1e6 + kvLayer));
        expect(two.cpu).toBe(2 * (1e6 + kvLayer) + 0.5e6 + 1e3);
        const four = bytesPerToken({model, gpuLayers: 4});
        expect(four.outputOnGpu).toBe(false);
        const max = bytesPerToken({model, gpuLayers: "max"});
        expect(max.outputOnGpu).toBe(true);
        expect(max.cpu).toBe(1e3);
        expect(bytesPerToken({model, gpuLayers: 99})).toEqual(max);
    });
});

describe("computeCeiling", () => {
    it("CPU only: bandwidth / bytes, efficiency = measured / ceiling", () => {
        const info = computeCeiling({model, cpuBandwidthGBs: 45.01, cpuTheoreticalGBs: 90.02, measuredTps: 5000});
        expect(info.bound).toBe("cpu-memory");
        expect(info.bytesPerToken).toBe(4.501e6);
        expect(info.ceilingTps).toBeCloseTo(10000, 6);
        expect(info.ceilingTpsTheoretical).toBeCloseTo(20000, 6);
        expect(info.efficiency).toBeCloseTo(0.5, 6);
        expect(info.modelError).toBeUndefined();
    });

    it("a split adds the time on each side: t >= gpu bytes / gpu bw + cpu bytes / cpu bw", () => {
        const info = computeCeiling({model, gpuLayers: 2, cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000});
        const seconds = 2e6 / 1000e9 + 2.501e6 / 10e9;
        expect(info.bound).toBe("mixed");
        expect(info.ceilingTps).toBeCloseTo(1 / seconds, 2);
        expect(info.ceilingTpsTheoretical).toBeNull(); // no DIMM figure
        expect(computeCeiling({model, gpuLayers: "max", cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000}).bound).toBe("gpu-memory");
    });

    it("is unknown, not guessed, without a bandwidth for a side that holds bytes", () => {
        expect(computeCeiling({model}).ceilingTps).toBeNull();
        expect(computeCeiling({model, gpuLayers: 2, cpuBandwidthGBs: 10}).ceilingTps).toBeNull();
    });

    it("reports a model error when the measured rate beats the ceiling", () => {
        const info = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 12000});
        expect(info.efficiency).toBeCloseTo(1.2, 6);
        expect(info.modelError).toMatch(/exceeds the 10000\.00 t\/s bandwidth ceiling/);
    });
});

describe("bandwidthForThreads and meanGenerationDepth", () => {
    const bandwidth = {read1GBs: 10, readAllGBs: 30, copy1GBs: 10, copyAllGBs: 30, threads: 8, bufferBytes: 1, durationMs: 1};
    it("scales one thread's figure up to the all-cores one", () => {
        expect(bandwidthForThreads(bandwidth, 1)).toBe(10);
        expect(bandwidthForThreads(bandwidth, 2)).toBe(20);
        expect(bandwidthForThreads(bandwidth, 16)).toBe(30);
        expect(bandwidthForThreads(null, 4)).toBeNull();
    });
    it("averages the KV depth over the generated tokens", () => {
        expect(meanGenerationDepth({nPrompt: 512, nGen: 128})).toBe(576);
    });
});

const stats = (mean: number): Stats => ({n: 3, mean, sd: 0, median: mean, min: mean, max: mean});

function hardware(bandwidthGBs: number | null): HardwareProfile {
    const none = {value: null, source: "none" as const};
    return {
        detectedAt: "", os: {platform: "linux", distro: none, release: none, arch: "x64", virtualised: none},
        cpu: {brand: none, physicalCores: {value: 4, source: "systeminformation"}, logicalCores: none, simd: none, speedGHz: none},
        memory: {totalBytes: none, freeBytes: none, modules: none, theoreticalGBs: {value: 51.2, source: "user"}},
        bandwidth: bandwidthGBs == null ? none : {
            value: {read1GBs: bandwidthGBs / 2, readAllGBs: bandwidthGBs, copy1GBs: 1, copyAllGBs: 1, threads: 4, bufferBytes: 1, durationMs: 1},
            source: "measured"
        },
        gpus: [], backends: {cuda: false, vulkan: false, metal: false, cpu: true, used: "cpu"},
        disk: {path: "", device: none, kind: none, freeBytes: none}, nodeLlamaCppVersion: "", llamaCppRelease: ""
    };
}

describe("annotateResultWithCeiling", () => {
    const info = {...model, file: "/m.gguf", fileName: "m.gguf", fileBytes: 6e6, architecture: "llama", parameters: 1, weightType: "Q4_0",
        tensorTypes: {}, nFf: 1, contextLength: 512, tensorBytes: 5.5e6, synthetic: true} satisfies ModelInfo;
    const result: TestResult = {
        id: "r:0", timestamp: "", status: "ok",
        config: {modelPath: "/m.gguf", gpuLayers: 0, threads: 4, batchSize: 512, nPrompt: 0, nGen: 16, reps: 3, flashAttention: false},
        env: {cpu: "", physicalCores: 4, gpu: "", backend: "cpu", llamaCppRelease: "", nodeLlamaCppVersion: "", binary: {buildType: "", cpuVariant: null, threadRuntime: null}, os: ""},
        samples: [],
        stats: {ppTps: stats(0), tgTps: stats(4000), tgDecodeTps: stats(4000), ttftMs: stats(1), tgMsPerToken: stats(0.25), outsideMsPerToken: stats(0.01)}
    };

    it("adds the ceiling for the row's threads, depth and split", () => {
        const annotated = annotateResultWithCeiling(result, info, hardware(45));
        const depth = 256; // nPrompt 0 + nGen 16, flash attention off: llama.cpp's attention spans 256 padded cells
        const bytes = 4.501e6 + 4 * kvBytesPerLayer(model, depth);
        expect(annotated.ceiling?.depth).toBe(depth);
        expect(annotated.ceiling?.bytesPerToken).toBe(bytes);
        expect(annotated.ceiling?.ceilingTps).toBeCloseTo(45e9 / bytes, 2);
        expect(annotated.ceiling?.ceilingTpsTheoretical).toBeCloseTo(51.2e9 / bytes, 2);
        expect(annotated.ceiling?.efficiency).toBeCloseTo(4000 / (45e9 / bytes), 3);
        expect(annotated.stats).toBe(result.stats);
    });

    it("uses the one-thread bandwidth for a one-thread row, and leaves efficiency out for failed rows", () => {
        const one = annotateResultWithCeiling({...result, config: {...result.config, threads: 1}}, info, hardware(45));
        expect(one.ceiling?.cpuBandwidthGBs).toBe(22.5);
        const failed = annotateResultWithCeiling({...result, status: "error"}, info, hardware(45));
        expect(failed.ceiling?.efficiency).toBeNull();
        expect(annotateResultWithCeiling(result, info, hardware(null)).ceiling?.ceilingTps).toBeNull();
    });

    it("finds the rows that fall short of llama-bench: threads restarted per token on fast tokens, or a fifth of each token outside llama.cpp", () => {
        // 4000 t/s decode at 4 threads: 0.4 ms of a 0.25 ms token; 0.01 of 0.25 ms outside
        expect(fallsShortOfNative(result)).toBe(true);
        expect(fallsShortOfNative({...result, config: {...result.config, threads: 1}})).toBe(false);
        expect(fallsShortOfNative({...result, engine: "llama-bench"})).toBe(false);
        const slow = {...result.stats!, tgDecodeTps: stats(40), tgTps: stats(40), tgMsPerToken: stats(25)};
        expect(fallsShortOfNative({...result, stats: slow})).toBe(false);
        expect(fallsShortOfNative({...result, config: {...result.config, threads: 1}, stats: {...slow, outsideMsPerToken: stats(5)}})).toBe(true);
        expect(outsideShare({...slow, outsideMsPerToken: stats(4.9)})).toBeNull();
    });

    it("says the device did the prompt's work at 0 layers only when a batch reached the op-offload threshold", () => {
        const onDevice = (nPrompt: number, batchSize = 512) => annotateResultWithCeiling({
            ...result, config: {...result.config, nPrompt, batchSize},
            env: {...result.env, backend: "vulkan", gpu: "llvmpipe", gpuKind: "software"},
            load: {ms: 1, gpuLayers: 0, offloadedLayers: 0, totalLayers: 17, pageCache: "warm", opOffloadMinBatch: 32}
        }, info, hardware(45)).ceiling?.explanation ?? "";
        expect(onDevice(32)).toContain("yet llama.cpp ran large-batch matrix work (batches of 32+ tokens: the prompt) on llvmpipe");
        expect(onDevice(31)).toContain("no batch reached llama.cpp's 32-token op-offload threshold: llvmpipe held buffers only");
        // a 128-token prompt fed in 16-token batches never reaches it either
        expect(onDevice(128, 16)).toContain("held buffers only");
        expect(onDevice(8)).toContain("The device is software (runs on the CPU)");
        // the threshold the worker recorded (GGML_OP_OFFLOAD_MIN_BATCH=64), and 32 for rows that predate the record
        const row = (load: TestResult["load"]) => annotateResultWithCeiling({...result, config: {...result.config, nPrompt: 32},
            env: {...result.env, backend: "vulkan", gpu: "llvmpipe"}, load}, info, hardware(45)).ceiling?.explanation ?? "";
        expect(row({ms: 1, gpuLayers: 0, offloadedLayers: 0, pageCache: "warm", opOffloadMinBatch: 64})).toContain("64-token op-offload threshold");
        expect(row({ms: 1, gpuLayers: 0, offloadedLayers: 0, pageCache: "warm"})).toContain("batches of 32+ tokens");
        expect(opOffloadMinBatch({GGML_OP_OFFLOAD_MIN_BATCH: "64"})).toBe(64);
        expect(opOffloadMinBatch({GGML_OP_OFFLOAD_MIN_BATCH: "x"})).toBe(32);
        expect(opOffloadMinBatch({})).toBe(32);
    });
});

describe("kvCellsRead, the ceiling's monotone bandwidth and its spec-sheet check", () => {
    it("counts the padded cells llama.cpp reads without flash attention, the real depth with it", () => {
        expect(kvCellsRead({nPrompt: 20, nGen: 8, flashAttention: true})).toBe(24);
        expect(kvCellsRead({nPrompt: 20, nGen: 8, flashAttention: false})).toBe(256);
        // crossing a 256-cell step: tokens that fill cells 250..256 span 256 cells, the one that fills cell 257 spans 512
        expect(kvCellsRead({nPrompt: 249, nGen: 8, flashAttention: false})).toBe((7 * 256 + 512) / 8);
        // never more than the cache holds
        expect(kvCellsRead({nPrompt: 20, nGen: 8, flashAttention: false, contextSize: 128})).toBe(128);
    });

    it("never lets more threads lower the bandwidth below one thread's, however low the all-cores reading", () => {
        const underLoad: BandwidthMeasurement = {read1GBs: 30, readAllGBs: 21.7, copy1GBs: 20, copyAllGBs: 20, threads: 2, bufferBytes: 1, durationMs: 1};
        expect(bandwidthForThreads(underLoad, 1)).toBe(30);
        expect(bandwidthForThreads(underLoad, 2)).toBe(30);
    });

    it("flags a measured rate above a spec-sheet-only ceiling as it flags one above the measured ceiling", () => {
        const ceiling = computeCeiling({model, cpuTheoreticalGBs: 10, measuredTps: 3200});
        expect(ceiling.ceilingTps).toBeNull();
        expect(ceiling.ceilingTpsTheoretical).toBeLessThan(3200);
        expect(ceiling.modelError).toMatch(/^measured 3200\.00 t\/s exceeds the [\d.]+ t\/s spec-sheet ceiling/);
        expect(computeCeiling({model, cpuTheoreticalGBs: 20, measuredTps: 3200}).modelError).toBeUndefined();
    });
});

describe("explainGap", () => {
    it("says memory-bound with the share of the ceiling", () => {
        const ceiling = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 8200});
        expect(explainGap({ceiling})).toBe("memory-bound: 82% of the measured-bandwidth ceiling");
    });
    it("names oversubscribed threads, CPU-dominated splits and prompt processing", () => {
        const ceiling = computeCeiling({model, gpuLayers: 2, cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000, measuredTps: 1000});
        const text = explainGap({ceiling, threads: 8, physicalCores: 4});
        expect(text).toMatch(/^partial offload: \d+% of the split ceiling/);
        expect(text).toMatch(/CPU layers dominate/);
        expect(text).toMatch(/threads \(8\) exceed physical cores \(4\)/);
        expect(explainGap({ceiling, phase: "pp"})).toMatch(/^compute-bound: prompt processing/);
    });
    it("flags a row measured while other processes kept the machine busy, and only then", () => {
        const ceiling = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 8200});
        expect(explainGap({ceiling, backgroundCores: 0.9})).toBe(
            "memory-bound: 82% of the measured-bandwidth ceiling; the machine was busy: other processes kept 0.9 cores busy during a repetition, so these figures are unreliable");
        expect(explainGap({ceiling, backgroundCores: 0.1})).toBe("memory-bound: 82% of the measured-bandwidth ceiling");
        expect(explainGap({ceiling, backgroundCores: null})).toBe("memory-bound: 82% of the measured-bandwidth ceiling");
    });
    it("says how much of a busy machine's load the virtual machine's host took, when that is worth naming", () => {
        const ceiling = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 8200});
        expect(explainGap({ceiling, backgroundCores: 0.9, stealCores: 0.6})).toBe("memory-bound: 82% of the measured-bandwidth ceiling; " +
            "the machine was busy: other processes kept 0.9 cores busy during a repetition, 0.6 of them taken by the virtual machine's host (steal), so these figures are unreliable");
        expect(explainGap({ceiling, backgroundCores: 0.9, stealCores: 0.05})).toBe("memory-bound: 82% of the measured-bandwidth ceiling; " +
            "the machine was busy: other processes kept 0.9 cores busy during a repetition, so these figures are unreliable");
        expect(explainGap({ceiling, backgroundCores: 0.1, stealCores: 0.1})).toBe("memory-bound: 82% of the measured-bandwidth ceiling");
    });
    it("says an OpenMP build is likely slower than the prebuilt binary at 2+ threads, and only then", () => {
        const ceiling = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 8200});
        const openmp = {buildType: "localBuild", cpuVariant: null, threadRuntime: "openmp" as const};
        expect(explainGap({ceiling, threads: 2, binary: openmp})).toBe("memory-bound: 82% of the measured-bandwidth ceiling; " +
            "this llama.cpp build runs its threads with OpenMP, which node-llama-cpp's thread hopping slows at 2+ threads: the prebuilt binary is likely faster");
        expect(explainGap({ceiling, threads: 1, binary: openmp})).toBe("memory-bound: 82% of the measured-bandwidth ceiling");
        expect(explainGap({ceiling, threads: 2, binary: {buildType: "prebuilt", cpuVariant: "sapphirerapids", threadRuntime: "ggml"}})).toBe("memory-bound: 82% of the measured-bandwidth ceiling");
        expect(explainGap({ceiling, threads: 2})).toBe("memory-bound: 82% of the measured-bandwidth ceiling");
    });
    it("explains a rate above the ceiling by the cache when the bytes fit in it", () => {
        const ceiling = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 20000});
        expect(explainGap({ceiling, cacheBytes: 32e6})).toMatch(/fits in the 30\.5 MiB CPU cache/);
        expect(explainGap({ceiling})).toMatch(/^above the ceiling: measured/);
    });

    // Row stats with a generation rate, its time per token, a sampling time per token and a prompt rate.
    const rowStats = (tg: number, sampleMs: number, pp: number, ppN = 3): NonNullable<TestResult["stats"]> => ({
        ppTps: {...stats(pp), n: ppN}, tgTps: stats(tg), tgDecodeTps: stats(tg), ttftMs: stats(1), tgMsPerToken: stats(1000 / tg), outsideMsPerToken: stats(sampleMs)
    });

    it("names sampling from a fifth of each token up, and prompt processing against generation", () => {
        const ceiling = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 8200});
        // 0.0243 ms of 0.122 ms is 19.9%: not named; the prompt rate is 6x the generation rate.
        expect(explainGap({ceiling, stats: rowStats(8200, 0.0243, 49200)}))
            .toBe("memory-bound: 82% of the measured-bandwidth ceiling; prompt processing is compute-bound (6.0× the generation rate)");
        // 20.5%: named; no prompt measured: no ratio.
        expect(explainGap({ceiling, stats: rowStats(8200, 0.025, 0, 0)}))
            .toBe("memory-bound: 82% of the measured-bandwidth ceiling; time outside llama.cpp (sampling, the binding) takes 21% of each token, so the end-to-end rate is below the decode rate");
    });

    it("names sampling instead of guessing at the overhead when it is measured", () => {
        const ceiling = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 500});
        expect(explainGap({ceiling, stats: rowStats(500, 0.1, 3000)})).toBe("5% of the bandwidth ceiling: time goes to compute or overhead " +
            "(few threads, a small model), not memory; prompt processing is compute-bound (6.0× the generation rate)");
        expect(explainGap({ceiling, stats: rowStats(500, 1.6, 3000)})).toBe("5% of the bandwidth ceiling: time goes to compute or overhead, " +
            "not memory; time outside llama.cpp (sampling, the binding) takes 80% of each token, so the end-to-end rate is below the decode rate; prompt processing is compute-bound (6.0× the generation rate)");
    });

    it("puts every reason on one line: split, threads, sampling, prompt", () => {
        const ceiling = computeCeiling({model, gpuLayers: 2, cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000, measuredTps: 1000});
        expect(explainGap({ceiling, threads: 4, physicalCores: 2, stats: rowStats(1000, 0.4, 6000)})).toBe(
            "partial offload: 25% of the split ceiling; CPU layers dominate (99% of the time per token at the ceiling); " +
            "threads (4) exceed physical cores (2): extra threads share cores and often slow generation; " +
            "node-llama-cpp starts llama.cpp's worker threads afresh for every token, where llama-bench keeps them in a pool: on a 2-core VM " +
            "that cost about 0.4 ms a token, ~40% of this row's decode time (llama-bench, run beside it by --engine auto or both, measures llama.cpp's own rate); " +
            "time outside llama.cpp (sampling, the binding) takes 40% of each token, so the end-to-end rate is below the decode rate; prompt processing is compute-bound (6.0× the generation rate)");
    });

    it("names the per-token thread start-up of 2+ thread node-llama-cpp rows where it is a share worth naming, and only there", () => {
        const ceiling = computeCeiling({model, cpuBandwidthGBs: 45.01, measuredTps: 800});
        const fast = rowStats(800, 0, 0, 0);
        expect(explainGap({ceiling, threads: 2, stats: fast})).toMatch(/node-llama-cpp starts llama\.cpp's worker threads afresh for every token, .* ~32% of this row's decode time/);
        expect(explainGap({ceiling, threads: 1, stats: fast})).not.toMatch(/afresh/);
        expect(explainGap({ceiling, threads: 2, stats: fast, engine: "llama-bench"})).not.toMatch(/afresh/);
        // a 1B-class rate: 0.4 ms of a 33 ms token is not worth a line
        expect(explainGap({ceiling, threads: 2, stats: rowStats(30, 0, 0, 0)})).not.toMatch(/afresh/);
    });

    it("wrote the export fixtures' lines (so their round trips carry real ones)", () => {
        const annotated = sampleResults.filter((r) => r.ceiling?.explanation != null);
        expect(annotated.length).toBeGreaterThanOrEqual(3);
        for (const r of annotated)
            expect(explainGap({ceiling: r.ceiling!, threads: r.config.threads, physicalCores: r.env.physicalCores, stats: r.stats})).toBe(r.ceiling!.explanation);
    });

    it("says the GPU ceiling is from the spec sheet, and what is missing when there is no ceiling or no rate", () => {
        const gpu = computeCeiling({model, gpuLayers: "max", cpuBandwidthGBs: 10, gpuBandwidthGBs: 1000, measuredTps: 180000});
        expect(explainGap({ceiling: gpu})).toBe("GPU memory-bound: 83% of the spec-sheet VRAM bandwidth ceiling");
        expect(explainGap({ceiling: computeCeiling({model, cpuTheoreticalGBs: 51.2})}))
            .toBe("spec-sheet ceiling only: 11375.3 t/s (the memory bandwidth was not measured)");
        expect(explainGap({ceiling: computeCeiling({model})})).toMatch(/^no ceiling: the memory bandwidth is unknown/);
        const noGeneration = {...rowStats(1, 0, 60), tgTps: {n: 0, mean: Number.NaN, sd: Number.NaN, median: Number.NaN, min: Number.NaN, max: Number.NaN}};
        expect(explainGap({ceiling: computeCeiling({model, cpuBandwidthGBs: 45.01}), stats: noGeneration}))
            .toBe("no generation measured; ceiling 10000.0 t/s (cpu-memory)");
    });
});

describe("annotateResultWithCeiling on the CPU backend", () => {
    it("counts no GPU layers when the load did not say and llama.cpp runs on the CPU, and explains the gap", () => {
        const info = {...model, file: "/m.gguf", fileName: "m.gguf", fileBytes: 6e6, architecture: "llama", parameters: 1, weightType: "Q4_0",
            tensorTypes: {}, nFf: 1, contextLength: 512, tensorBytes: 5.5e6, synthetic: true} satisfies ModelInfo;
        const row: TestResult = {
            id: "r:1", timestamp: "", status: "ok",
            config: {modelPath: "/m.gguf", gpuLayers: "max", threads: 8, batchSize: 512, nPrompt: 0, nGen: 2, reps: 1, flashAttention: false},
            env: {cpu: "", physicalCores: 4, gpu: "", backend: "cpu", llamaCppRelease: "", nodeLlamaCppVersion: "", binary: {buildType: "", cpuVariant: null, threadRuntime: null}, os: ""},
            samples: [],
            stats: {ppTps: stats(0), tgTps: stats(8000), tgDecodeTps: stats(8000), ttftMs: stats(1), tgMsPerToken: stats(0.125), outsideMsPerToken: stats(0.01)}
        };
        const annotated = annotateResultWithCeiling(row, info, hardware(45.01));
        expect(annotated.ceiling?.bound).toBe("cpu-memory");
        expect(annotated.ceiling?.gpuBytesPerToken).toBe(0);
        expect(annotated.ceiling?.explanation).toMatch(/^memory-bound: \d+% of the measured-bandwidth ceiling; threads \(8\) exceed physical cores \(4\)/);
        // The row's own stats reach the line: sampling 0.05 of 0.125 ms per token, prompt at 6x generation.
        const slowSampling = {...row, stats: {...row.stats!, ppTps: stats(48000), outsideMsPerToken: stats(0.05)}};
        expect(annotateResultWithCeiling(slowSampling, info, hardware(45.01)).ceiling?.explanation)
            .toMatch(/; time outside llama\.cpp \(sampling, the binding\) takes 40% of each token, so the end-to-end rate is below the decode rate; prompt processing is compute-bound \(6\.0× the generation rate\)$/);
    });
});
