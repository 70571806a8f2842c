// Imports: llama-bench's own output as rows of their own kind, LlamaMeter CSV in chunks without holding
// the event loop, and the caps on rows and samples (issue 13 "Large imports", issue 14 item 5).
import {parse} from "csv-parse/sync";
import {stringify} from "csv-stringify/sync";
import {describe, expect, it} from "vitest";
import {importResults, MAX_IMPORT_ROWS} from "../../src-main/engine/export/importResults.js";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {parseResultsCsv} from "../../src-main/engine/export/parseResultsCsv.js";
import {okResult, sampleResults} from "./fixtures/sampleResults.js";

// test::get_fields() of tools/llama-bench/llama-bench.cpp (the release node-llama-cpp 3.22.1 bundles).
const fields = [
    "build_commit", "build_number", "cpu_info", "gpu_info", "backends", "model_filename", "model_type", "model_size", "model_n_params", "n_batch",
    "n_ubatch", "n_threads", "cpu_mask", "cpu_strict", "poll", "type_k", "type_v", "n_gpu_layers", "n_cpu_moe", "split_mode",
    "main_gpu", "no_kv_offload", "flash_attn", "devices", "tensor_split", "tensor_buft_overrides", "load_mode", "lazy_mode", "embeddings",
    "no_op_offload", "no_host", "fit_target", "fit_min_ctx", "n_prompt", "n_gen", "n_depth", "test_time", "avg_ns", "stddev_ns", "avg_ts", "stddev_ts"
];
const ints = new Set(["build_number", "n_batch", "n_ubatch", "n_threads", "poll", "model_size", "model_n_params", "n_gpu_layers", "main_gpu", "n_prompt",
    "n_gen", "n_depth", "avg_ns", "stddev_ns", "no_op_offload", "n_cpu_moe", "fit_target", "fit_min_ctx", "flash_attn"]);
const bools = new Set(["no_kv_offload", "cpu_strict", "embeddings", "no_host"]);

type BenchTest = Record<string, string> & {samples_ns?: never};

function benchTest(nPrompt: number, nGen: number, nDepth: number, samplesNs: number[]): {fields: BenchTest, samplesNs: number[]} {
    const tokens = nPrompt + nGen;
    const ts = samplesNs.map((ns) => tokens / (ns / 1e9));
    const avgNs = samplesNs.reduce((a, b) => a + b, 0) / samplesNs.length;
    const avgTs = ts.reduce((a, b) => a + b, 0) / ts.length;
    const sdTs = Math.sqrt(ts.reduce((a, b) => a + (b - avgTs) ** 2, 0) / (ts.length - 1));
    const values: Record<string, string> = {
        build_commit: "a1b2c3d", build_number: "6500", cpu_info: "AMD EPYC 7B13", gpu_info: "", backends: "CPU",
        model_filename: "/models/llama-1b-q4_0.gguf", model_type: "llama 1B Q4_0", model_size: "636000000", model_n_params: "1100048384",
        n_batch: "2048", n_ubatch: "512", n_threads: "2", cpu_mask: "0x0", cpu_strict: "0", poll: "50", type_k: "f16", type_v: "f16",
        n_gpu_layers: "99", n_cpu_moe: "0", split_mode: "layer", main_gpu: "0", no_kv_offload: "0", flash_attn: "-1", devices: "auto",
        tensor_split: "0.00", tensor_buft_overrides: "none", load_mode: "mmap", lazy_mode: "off", embeddings: "0", no_op_offload: "0", no_host: "0",
        fit_target: "0", fit_min_ctx: "0", n_prompt: String(nPrompt), n_gen: String(nGen), n_depth: String(nDepth),
        test_time: "2026-11-30T10:00:00Z", avg_ns: String(Math.round(avgNs)), stddev_ns: "1000", avg_ts: avgTs.toFixed(6), stddev_ts: sdTs.toFixed(6)
    };
    return {fields: values, samplesNs};
}

const benchTests = [benchTest(512, 0, 0, [2.0e9, 2.1e9, 1.9e9]), benchTest(0, 128, 0, [5.0e9, 5.2e9, 5.1e9]), benchTest(0, 128, 4096, [6e9, 6.2e9, 6.1e9]),
    benchTest(512, 128, 0, [7e9, 7.1e9, 7.2e9])];
const tests = benchTests.map((t) => t.fields);

/** As csv_printer writes it: a header, then every value quoted. */
function asLlamaBenchCsv(): string {
    return fields.join(",") + "\n" + tests.map((t) => fields.map((f) => `"${String(t[f]).replace(/"/g, "\"\"")}"`).join(",")).join("\n") + "\n";
}

/** As json_printer writes it: numbers bare, bools true/false, then samples_ns and samples_ts. */
function asLlamaBenchJson(): string {
    const items = benchTests.map(({fields: t, samplesNs}) => {
        const lines = fields.map((f) => `    "${f}": ${ints.has(f) ? t[f] : bools.has(f) ? (t[f] === "0" ? "false" : "true") : f === "avg_ts" || f === "stddev_ts" ? t[f] : JSON.stringify(t[f])},`);
        const tokens = Number(t.n_prompt) + Number(t.n_gen);
        lines.push(`    "samples_ns": [ ${samplesNs.join(", ")} ],`, `    "samples_ts": [ ${samplesNs.map((ns) => tokens / (ns / 1e9)).join(", ")} ]`);
        return "  {\n" + lines.join("\n") + "\n  }";
    });
    return "[\n" + items.join(",\n") + "\n]\n";
}

describe("llama-bench output", () => {
    it("imports -o csv as llama-bench rows: pp and tg at their n_prompt / n_gen / n_depth, pg left out", async () => {
        const read = await importResults(asLlamaBenchCsv());
        expect(read.format).toBe("llama-bench-csv");
        expect(read.skippedMixed).toBe(1);
        expect(read.rows).toHaveLength(3);
        const [pp, tg, tgDeep] = read.rows;
        expect(pp).toMatchObject({engine: "llama-bench", status: "ok", config: {nPrompt: 512, nGen: 0, nDepth: 0, threads: 2, batchSize: 2048, gpuLayers: 99, flashAttention: true}});
        expect(pp!.stats!.ppTps.mean).toBeCloseTo(Number(tests[0]!.avg_ts), 6);
        expect(pp!.stats!.tgTps.n).toBe(0);
        expect(tg!.stats!.tgTps.mean).toBeCloseTo(Number(tests[1]!.avg_ts), 6);
        expect(tg!.stats!.tgTps.sd).toBeCloseTo(Number(tests[1]!.stddev_ts), 6);
        expect(tgDeep!.config).toMatchObject({nGen: 128, nDepth: 4096, contextSize: 128 + 4096});
        expect(tg!.model).toMatchObject({fileName: "llama-1b-q4_0.gguf", weightType: "Q4_0", parameters: 1100048384, fileBytes: 636000000});
        expect(tg!.env).toMatchObject({cpu: "AMD EPYC 7B13", backend: "cpu", binary: {buildType: "llama-bench", cpuVariant: null, threadRuntime: null}, llamaCppRelease: "b6500 (a1b2c3d)"});
        // CSV does not say how many repetitions ran
        expect(tg!.config.reps).toBeNaN();
    });

    it("imports -o json with every repetition, and gives a test the same id from its CSV and its JSON", async () => {
        const read = await importResults(asLlamaBenchJson());
        expect(read.format).toBe("llama-bench-json");
        expect(read.rows).toHaveLength(3);
        const tg = read.rows[1]!;
        expect(tg.config.reps).toBe(3);
        expect(tg.samples.map((s) => s.tgMs)).toEqual([5000, 5200, 5100]);
        expect(tg.stats!.tgTps.median).toBeCloseTo(128 / 5.1, 9);
        expect(tg.stats!.tgTps.mean).toBeCloseTo(Number(tests[1]!.avg_ts), 5);
        const fromCsv = await importResults(asLlamaBenchCsv());
        expect(read.rows.map((r) => r.id)).toEqual(fromCsv.rows.map((r) => r.id));
        // -o jsonl: one object per line
        const jsonl = (JSON.parse(asLlamaBenchJson()) as unknown[]).map((item) => JSON.stringify(item)).join("\n");
        expect((await importResults(jsonl)).rows.map((r) => r.id)).toEqual(fromCsv.rows.map((r) => r.id));
    });

    it("round-trips imported llama-bench rows through LlamaMeter's own CSV", async () => {
        for (const text of [asLlamaBenchCsv(), asLlamaBenchJson()]) {
            const {rows} = await importResults(text);
            expect(parseResultsCsv(csvExporter.serialize(rows))).toEqual(rows);
        }
    });

    it("says in one line what is wrong with a bad llama-bench test", async () => {
        const bad = asLlamaBenchCsv().replace("\"2048\"", "\"lots\"");
        await expect(importResults(bad)).rejects.toThrow(/^llama-bench test 1: n_batch: "lots" is not a number$/);
        await expect(importResults("[{\"a\": 1}]")).rejects.toThrow(/^item 1 is not a llama-bench test/);
        await expect(importResults("[{")).rejects.toThrow(/^not valid JSON/);
        // llama-bench's default -o md table is neither: the message names what is read
        await expect(importResults("| model | size | params | backend | threads | test | t/s |\n| --- | --- |\n"))
            .rejects.toThrow(/^Not a LlamaMeter results CSV \(no status \/ n_prompt columns\), nor llama-bench -o csv \/ -o json output$/);
    });
});

describe("LlamaMeter CSV imports: caps and the event loop", () => {
    function manyRows(count: number): string {
        const rows = Array.from({length: count}, (_, i) => ({...okResult, id: `row-${i}`}));
        return csvExporter.serialize(rows);
    }

    it("reads the same rows as the one-shot parser", async () => {
        const text = csvExporter.serialize(sampleResults);
        const read = await importResults(text);
        expect(read.format).toBe("llamameter-csv");
        expect(read.rows).toEqual(parseResultsCsv(text));
    });

    it("refuses more rows than the cap, in one line", async () => {
        expect(MAX_IMPORT_ROWS).toBe(20_000);
        await expect(importResults(manyRows(11), {maxRows: 10})).rejects.toThrow(/^more than 10 rows: at most 10 are imported at once; split the file$/);
        expect((await importResults(manyRows(10), {maxRows: 10})).rows).toHaveLength(10);
    });

    it("refuses a row of millions of samples, and a giant cell, quickly and in one line", async () => {
        const [header, record] = parse(csvExporter.serialize([okResult])) as string[][];
        const at = header!.indexOf("samples_pp_ms");
        const withCell = (cell: string) => stringify([header!, record!.map((value, i) => (i === at ? cell : value))]);
        await expect(importResults(withCell(Array.from({length: 1001}, () => "1").join(";")))).rejects.toThrow(/^CSV row 1, column samples_pp_ms: more than 1000 samples in one row$/);
        // 8 million samples in one cell (15 MiB): refused by the cell size before anything is split
        const started = Date.now();
        const error = await importResults(withCell("1;".repeat(8_000_000))).then(() => null, (e: unknown) => e as Error);
        expect(error?.message).toMatch(/max_record_size|maximum/i);
        expect(error?.message).not.toContain("\n");
        expect(Date.now() - started).toBeLessThan(5000);
    });

    it("keeps the event loop answering during a 4 MiB import", async () => {
        const text = manyRows(3000);
        expect(text.length).toBeGreaterThan(4 * 2 ** 20);
        let last = Date.now();
        let longest = 0;
        const timer = setInterval(() => {
            const now = Date.now();
            longest = Math.max(longest, now - last);
            last = now;
        }, 5);
        try {
            const read = await importResults(text);
            // the wait from the last tick to the end counts too (a one-shot parse has no tick at all)
            longest = Math.max(longest, Date.now() - last);
            expect(read.rows).toHaveLength(3000);
        } finally {
            clearInterval(timer);
        }
        // The goal in the issue: other requests answered within 1 s during an import.
        expect(longest).toBeLessThan(1000);
    });
});
