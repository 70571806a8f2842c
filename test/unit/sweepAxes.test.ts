// The depth, KV-cache type, micro-batch and mmap axes (issue 15): parsing, refusals before loading, the notes a
// row gets, the ceiling's KV bytes, the columns in every format, llama-bench's fields, the estimate and the views.
import {parse} from "csv-parse/sync";
import {describe, expect, it} from "vitest";
import {parseSweepList} from "../../src-main/engine/bench/parseSweepList.js";
import {kvCacheTypeProblem} from "../../src-main/engine/bench/kvCacheTypeProblem.js";
import {effectiveUbatch, sweepAxisNotes} from "../../src-main/engine/bench/sweepAxisNotes.js";
import {estimateSweep, sweepWarnings} from "../../src-main/engine/bench/estimateSweep.js";
import {annotateResultWithCeiling, kvBytesPerElementOf, kvBytesPerLayer, kvCellsRead, meanGenerationDepth} from "../../src-main/engine/ceiling/ceiling.js";
import {kvValueBytes} from "../../src-main/engine/ceiling/kvValueBytes.js";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {jsonlExporter} from "../../src-main/engine/export/jsonlExporter.js";
import {markdownExporter} from "../../src-main/engine/export/markdownExporter.js";
import {parseResultsCsv} from "../../src-main/engine/export/parseResultsCsv.js";
import {llamaBenchResult} from "../../src-main/engine/export/llamaBenchResult.js";
import {sweepViewColumns} from "../../src-main/engine/export/sweepViewColumns.js";
import {DEFAULT_COLUMNS} from "../../src-main/engine/export/columns.js";
import {sweepSpecSchema} from "../../src-main/api/contract.js";
import type {HardwareProfile, ModelInfo, SweepSpec, TestConfig, TestResult} from "../../src-main/engine/types.js";
import {okResult} from "./fixtures/sampleResults.js";

const config: TestConfig = {modelPath: "/m/a.gguf", gpuLayers: 0, threads: 1, batchSize: 512, nPrompt: 64, nGen: 16, reps: 2, flashAttention: true};

describe("parsing the axes", () => {
    it("reads KV-cache types in llama-bench's names, any case, and refuses others in one line", () => {
        expect(parseSweepList("f16,q8_0,Q4_0", "cacheType")).toEqual(["f16", "q8_0", "q4_0"]);
        expect(() => parseSweepList("f16,q5_1", "cacheType")).toThrow('"q5_1" is not a KV-cache type (use f16, q8_0, q4_0)');
        expect(parseSweepList("0,256,1024", "tokens")).toEqual([0, 256, 1024]);
        expect(parseSweepList("256-4096*4", "tokens")).toEqual([256, 1024, 4096]);
    });

    it("takes the new lists in the API schema, and refuses an unknown cache type", () => {
        const spec: SweepSpec = {models: ["/m/a.gguf"], gpuLayers: [0], threads: [1], batchSizes: [512], nPrompt: [64], nGen: [16], reps: 1,
            flashAttention: [true], nDepth: [0, 1024], cacheTypeK: ["q8_0"], cacheTypeV: ["q4_0"], ubatchSizes: [128], useMmap: [false, true]};
        expect(sweepSpecSchema.parse(spec)).toEqual(spec);
        expect(sweepSpecSchema.safeParse({...spec, cacheTypeK: ["q5_1"]}).success).toBe(false);
        expect(sweepSpecSchema.safeParse({...spec, ubatchSizes: [0]}).success).toBe(false);
    });
});

describe("what llama.cpp refuses, and what a row says", () => {
    it("refuses a quantized V cache without flash attention, and nothing else", () => {
        expect(kvCacheTypeProblem({typeV: "q8_0", flashAttention: false})).toMatch(/^a quantized V cache \(type_v q8_0\) needs flash attention/);
        expect(kvCacheTypeProblem({typeV: "q8_0", flashAttention: true})).toBeNull();
        expect(kvCacheTypeProblem({typeV: "f16", flashAttention: false})).toBeNull();
        // a quantized K alone runs without flash attention
        expect(kvCacheTypeProblem({flashAttention: false})).toBeNull();
    });

    it("runs the micro-batch as node-llama-cpp can, and says so in the row; llama.cpp's cap at the batch too", () => {
        expect(effectiveUbatch({batchSize: 512, ubatchSize: 128})).toBe(128);
        expect(effectiveUbatch({batchSize: 256, ubatchSize: 512})).toBe(256);
        expect(effectiveUbatch({batchSize: 256})).toBe(256);
        expect(sweepAxisNotes({...config, ubatchSize: 128}, "llamameter")[0]).toMatch(/^node-llama-cpp 3\.22\.1 has no n_ubatch setting.*n_batch = n_ubatch = 128/);
        // llama-bench applies it itself
        expect(sweepAxisNotes({...config, ubatchSize: 128}, "llama-bench")).toEqual([]);
        expect(sweepAxisNotes({...config, ubatchSize: 1024}, "llama-bench")).toEqual(["n_ubatch 1024 is above n_batch 512: llama.cpp caps the micro-batch at n_batch, so it was 512"]);
        expect(sweepAxisNotes({...config, ubatchSize: 512}, "llamameter")).toEqual([]);
    });
});

describe("the ceiling with KV-cache types and depth", () => {
    // n_embd_kv = 64 / 8 * 2 = 16
    const model = {nLayer: 4, nEmbd: 64, nHead: 8, nHeadKv: 2, vocabSize: 1000, bytesPerLayer: 1e6, tokenEmbdBytes: 1e6, outputBytes: 0.5e6};

    it("counts f16 as 2 bytes a value, q8_0 as 34 bytes per 32 and q4_0 as 18 per 32", () => {
        expect(kvValueBytes()).toBe(2);
        expect(kvValueBytes("q8_0")).toBe(34 / 32);
        expect(kvValueBytes("q4_0")).toBe(18 / 32);
        expect(kvBytesPerElementOf({})).toBe(2);
        // the other types llama.cpp caches in, as an imported llama-bench row may hold them
        expect(kvValueBytes("q5_1")).toBe(24 / 32);
        expect(kvValueBytes("iq4_nl")).toBe(18 / 32);
        expect(kvValueBytes("bf16")).toBe(2);
        expect(kvCacheTypeProblem({typeV: "bf16", flashAttention: false})).toBeNull();
        expect(kvCacheTypeProblem({typeV: "q5_1", flashAttention: false})).not.toBeNull();
        expect(kvBytesPerElementOf({typeK: "q8_0", typeV: "q4_0"})).toBe((34 + 18) / 64);
        // K and V: depth x n_embd_kv values each
        expect(kvBytesPerLayer(model, 1000, kvBytesPerElementOf({typeK: "q8_0", typeV: "q4_0"}))).toBe(1000 * 16 * (34 + 18) / 32);
    });

    it("reads the KV cache at n_depth + n_prompt and after", () => {
        expect(meanGenerationDepth({nDepth: 1024, nPrompt: 128, nGen: 32})).toBe(1024 + 128 + 16);
        expect(kvCellsRead({nDepth: 1024, nPrompt: 128, nGen: 32, flashAttention: true})).toBe(1168);
        // without flash attention, cells padded to 256: 1153..1184 span 1280
        expect(kvCellsRead({nDepth: 1024, nPrompt: 128, nGen: 32, flashAttention: false})).toBe(1280);
    });

    it("moves the row's ceiling as the KV type shrinks the bytes read, and as the depth grows them", () => {
        const info = {...model, file: "/m.gguf", fileName: "m.gguf", fileBytes: 6e6, architecture: "llama", parameters: 1, weightType: "Q4_0",
            tensorTypes: {}, nFf: 1, contextLength: 4096, tensorBytes: 5.5e6, synthetic: true} satisfies ModelInfo;
        const none = {value: null, source: "none" as const};
        const hardware = {
            detectedAt: "", os: {platform: "linux", distro: none, release: none, arch: "x64", virtualised: none},
            cpu: {brand: none, physicalCores: {value: 4, source: "systeminformation"}, logicalCores: none, simd: none, speedGHz: none},
            memory: {totalBytes: none, freeBytes: none, modules: none, theoreticalGBs: none},
            bandwidth: {value: {read1GBs: 10, readAllGBs: 20, copy1GBs: 1, copyAllGBs: 1, threads: 4, bufferBytes: 1, durationMs: 1}, source: "measured"},
            gpus: [], backends: {cuda: false, vulkan: false, metal: false, cpu: true, used: "cpu"},
            disk: {path: "", device: none, kind: none, freeBytes: none}, nodeLlamaCppVersion: "", llamaCppRelease: ""
        } satisfies HardwareProfile;
        const row = (over: Partial<TestConfig>): TestResult => ({...okResult, stats: undefined, config: {...config, ...over}});
        const ceiling = (over: Partial<TestConfig>) => annotateResultWithCeiling(row(over), info, hardware).ceiling!;
        const weights = 4e6 + 0.5e6 + 1e3;
        const f16 = ceiling({nDepth: 8192, typeK: "f16", typeV: "f16"});
        const q8 = ceiling({nDepth: 8192, typeK: "q8_0", typeV: "q8_0"});
        const q4 = ceiling({nDepth: 8192, typeK: "q4_0", typeV: "q4_0"});
        const depth = 8192 + 64 + 8;
        expect(f16.kvBytesPerToken).toBe(4 * depth * 16 * 2 * 2);
        expect(q8.kvBytesPerToken).toBe(4 * depth * 16 * 2 * 34 / 32);
        expect(q4.kvBytesPerToken).toBe(4 * depth * 16 * 2 * 18 / 32);
        expect(q4.bytesPerToken).toBe(weights + q4.kvBytesPerToken!);
        expect(f16.ceilingTps!).toBeLessThan(q8.ceilingTps!);
        expect(q8.ceilingTps!).toBeLessThan(q4.ceilingTps!);
        expect(ceiling({nDepth: 0}).ceilingTps!).toBeGreaterThan(ceiling({nDepth: 1024}).ceilingTps!);
        // a KV-heavy f16 row is told what a q8_0 cache reads
        expect(f16.explanation).toMatch(/the KV cache is \d+% of the bytes read at depth 8264 \(a q8_0 KV cache, -ctk\/-ctv q8_0 -fa 1, reads about half of it\)/);
        expect(q8.explanation).not.toMatch(/reads about half/);
    });
});

describe("the columns in every format", () => {
    const swept: TestResult = {...okResult, config: {...okResult.config, nDepth: 1024, typeK: "q8_0", typeV: "q4_0", ubatchSize: 128, useMmap: false}};

    it("writes n_depth, type_k, type_v, n_ubatch and use_mmap, and reads them back from CSV", () => {
        const csv = csvExporter.serialize([swept, okResult]);
        const [first, second] = parse(csv, {columns: true}) as Array<Record<string, string>>;
        expect(first).toMatchObject({n_depth: "1024", type_k: "q8_0", type_v: "q4_0", n_ubatch: "128", use_mmap: "false"});
        // an older row has none of them: empty cells, never a default passed off as measured
        expect(second).toMatchObject({type_k: "", type_v: "", n_ubatch: "", use_mmap: ""});
        expect(parseResultsCsv(csv)).toEqual([swept, okResult]);
        expect(() => parseResultsCsv(csv.replace(/,q4_0,/, ",q6_k,"))).toThrow(/^CSV row 1, column type_v: "q6_k" is not a KV-cache type llama\.cpp takes/);
        // a type llama.cpp caches in but a sweep does not ask for (from a llama-bench import) reads back too
        expect(parseResultsCsv(csv.replace(/,q4_0,/, ",q5_1,"))[0]!.config.typeV).toBe("q5_1");
        expect(JSON.parse(jsonlExporter.serialize([swept]).trim()).config).toMatchObject({nDepth: 1024, typeK: "q8_0", typeV: "q4_0", ubatchSize: 128, useMmap: false});
    });

    it("shows a swept axis's column in the table and Markdown views, after n_gen, and the KV cache's bytes beside the ceiling", () => {
        const base: SweepSpec = {models: ["/m/a.gguf"], gpuLayers: [0], threads: [1], batchSizes: [512], nPrompt: [64], nGen: [16], reps: 1, flashAttention: [true]};
        expect(sweepViewColumns(base)).toBe(DEFAULT_COLUMNS);
        expect(sweepViewColumns({...base, nDepth: [0], cacheTypeK: ["f16"], useMmap: [true]})).toBe(DEFAULT_COLUMNS);
        const keys = sweepViewColumns({...base, nDepth: [0, 1024], cacheTypeV: ["q8_0"], ubatchSizes: [128], useMmap: [false]}).map((c) => c.key);
        expect(keys.slice(keys.indexOf("n_gen"), keys.indexOf("n_gen") + 6)).toEqual(["n_gen", "n_depth", "type_k", "type_v", "n_ubatch", "use_mmap"]);
        expect(keys[keys.indexOf("ceiling_tps") - 1]).toBe("kv_bytes_per_token");
        // a file export's views show what its rows set away from the defaults
        const md = markdownExporter.serialize([swept, okResult]);
        expect(md.split("\n")[0]).toMatch(/\| gen \| depth \| K cache \| V cache \| ubatch \| mmap \|/);
        expect(md).toContain("| 128 | 1024 | q8_0 | q4_0 | 128 | no |");
        expect(markdownExporter.serialize([okResult]).split("\n")[0]).not.toContain("depth");
        expect(sweepViewColumns({...base, cacheTypeK: ["q8_0"]}, "md").at(-1)!.key).toBe("explanation");
        // the engine column where llama-bench's rows may sit among LlamaMeter's
        for (const spec of [{...base, engines: ["llamameter", "llama-bench"]}, {...base, nativeWhereShort: true}] satisfies SweepSpec[])
            expect(sweepViewColumns(spec).map((c) => c.key)).toContain("engine");
        expect(sweepViewColumns({...base, nativeWhereShort: false})).toBe(DEFAULT_COLUMNS);
        expect(markdownExporter.serialize([okResult, {...okResult, engine: "llama-bench"}]).split("\n")[0]).toMatch(/\| engine \|/);
    });
});

describe("llama-bench's fields", () => {
    const record = {
        model_filename: "/m/a.gguf", model_type: "llama 1B Q4_0", n_prompt: "0", n_gen: "32", n_depth: "1024", avg_ts: "50", test_time: "2026-12-01T00:00:00Z",
        n_batch: "2048", n_ubatch: "512", n_threads: "2", type_k: "f16", type_v: "f16", flash_attn: "1", load_mode: "mmap"
    };

    it("imports n_ubatch, type_k, type_v and the mmap setting of either release", () => {
        expect(llamaBenchResult(record, 100)!.config).toMatchObject({nDepth: 1024, typeK: "f16", typeV: "f16", ubatchSize: 512, useMmap: true});
        expect(llamaBenchResult({...record, load_mode: "none"}, 100)!.config.useMmap).toBe(false);
        expect(llamaBenchResult({...record, load_mode: "auto"}, 100)!.config.useMmap).toBeUndefined();
        const older = {...record, load_mode: undefined, use_mmap: "0"};
        expect(llamaBenchResult(older, 100)!.config.useMmap).toBe(false);
        // any cache type llama.cpp takes is kept as it ran; anything else is refused in one line
        expect(llamaBenchResult({...record, type_k: "q5_1", type_v: "iq4_nl"}, 100)!.config).toMatchObject({typeK: "q5_1", typeV: "iq4_nl"});
        expect(() => llamaBenchResult({...record, type_v: "q6_K"}, 100)).toThrow(/^type_v: "q6_K" is not a KV-cache type llama\.cpp takes/);
    });

    it("tells two tests of a KV-type sweep apart, and keeps the id of a test at llama-bench's defaults", () => {
        const plain = llamaBenchResult(record, 100)!;
        const q8 = llamaBenchResult({...record, type_k: "q8_0", type_v: "q8_0"}, 100)!;
        expect(q8.id).not.toBe(plain.id);
        // the id earlier imports gave a default test, before these fields were read
        const {n_ubatch: _u, type_k: _k, type_v: _v, load_mode: _l, ...bare} = record;
        expect(llamaBenchResult(bare, 100)!.id).toBe(plain.id);
    });
});

describe("the estimate", () => {
    const spec: SweepSpec = {models: ["/m/a.gguf"], gpuLayers: [0], threads: [1], batchSizes: [256], nPrompt: [64], nGen: [16], reps: 1,
        flashAttention: [false, true], cacheTypeV: ["f16", "q8_0"], ubatchSizes: [128, 512], useMmap: [true, false]};
    const models = new Map([["/m/a.gguf", {fileBytes: 1e9, nLayer: 22}]]);

    it("counts one model load per mmap setting, and warns of refused V caches and micro-batches above the batch", () => {
        const estimate = estimateSweep(spec, {models, physicalCores: 2, hasGpu: false, bandwidthGBs: 10});
        expect(estimate.tests).toBe(2 * 2 * 2 * 2);
        expect(estimate.modelLoads).toBe(2);
        const warnings = sweepWarnings(spec, {models, physicalCores: 2, hasGpu: false});
        expect(warnings).toContain("V cache q8_0 with flash attention off: llama.cpp refuses a quantized V cache without it, so those tests are error rows, refused before loading (use -fa 1)");
        expect(warnings).toContain("micro-batch 512 above batch 256: llama.cpp caps the micro-batch at the batch");
        expect(sweepWarnings({...spec, flashAttention: [true], ubatchSizes: [128]}, {models, physicalCores: 2, hasGpu: false})).toEqual([]);
    });
});
