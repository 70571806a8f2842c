import {describe, expect, it} from "vitest";
import {
    APP_VIEW, COLUMNS, DEFAULT_COLUMNS, viewHeading, DEFAULT_VIEW_KEYS, REPORT_COLUMNS, formatCell, getColumn, joinNumberList, splitNumberList
} from "../../src-main/engine/export/columns.js";
import {errorResult, okResult, syntheticResult} from "./fixtures/sampleResults.js";

const requiredKeys = [
    "timestamp", "model_file", "model_params", "model_bytes", "weight_type", "gpu_layers", "threads", "batch",
    "n_prompt", "n_gen", "reps", "flash_attn", "context_size", "load_ms", "page_cache", "pp_tps_mean", "pp_tps_sd",
    "pp_tps_median", "tg_tps_mean", "tg_tps_sd", "tg_tps_median", "tg_ms_per_token", "ttft_ms", "outside_ms_per_token", "tg_decode_tps_mean", "samples_outside_ms", "notes",
    "ceiling_tps", "ceiling_tps_theoretical", "efficiency", "bound", "cpu", "gpu", "backend", "binary",
    "llama_cpp_release", "node_llama_cpp_version", "status", "error", "pp_samples_tps", "tg_samples_tps", "explanation"
];

describe("the column table", () => {
    it("has every column the exports promise, each key once, each with a description and a parser", () => {
        const keys = COLUMNS.map((c) => c.key);
        expect(new Set(keys).size).toBe(keys.length);
        for (const key of requiredKeys)
            expect(keys).toContain(key);
        for (const column of COLUMNS) {
            expect(column.key).toMatch(/^[a-z][a-z0-9_]*$/);
            expect(column.description.length).toBeGreaterThan(5);
            expect(column.parse).toBeTypeOf("function");
        }
    });

    it("has a default view made of known columns", () => {
        expect(DEFAULT_COLUMNS.map((c) => c.key)).toEqual(DEFAULT_VIEW_KEYS);
        // Reports add the line on the gap at the end, where its length costs no alignment.
        expect(REPORT_COLUMNS.map((c) => c.key)).toEqual([...DEFAULT_VIEW_KEYS, "explanation"]);
        expect(getColumn("explanation").get(okResult)).toBe(okResult.ceiling!.explanation);
        expect(() => getColumn("no_such_column")).toThrow(/Unknown column/);
    });

    it("reads raw values from a result", () => {
        expect(getColumn("cpu").get(okResult)).toBe("Intel(R) Core(TM) i9, 10 cores");
        expect(getColumn("pp_tps_mean").get(okResult)).toBe(okResult.stats!.ppTps.mean);
        expect(getColumn("tg_tps_sd").get(okResult)).toBe(okResult.stats!.tgTps.sd);
        expect(getColumn("gpu_layers").get(syntheticResult)).toBe("max");
        expect(getColumn("flash_attn").get(syntheticResult)).toBe(true);
        expect(getColumn("ceiling_tps_theoretical").get(syntheticResult)).toBeNull();
        expect(getColumn("physical_cores").get(syntheticResult)).toBeNull();
    });

    it("gives null, not 0, for what a failed test did not measure", () => {
        for (const key of ["pp_tps_mean", "tg_tps_sd", "ttft_ms", "ceiling_tps", "explanation", "load_ms", "model_bytes", "pp_samples_tps"])
            expect(getColumn(key).get(errorResult)).toBeNull();
        // The file name still shows, taken from the path.
        expect(getColumn("model_file").get(errorResult)).toBe("broken \"model\".gguf");
    });

    it("treats a NaN stat (nothing measured) as no value", () => {
        const nan = {n: 0, mean: Number.NaN, sd: Number.NaN, median: Number.NaN, min: Number.NaN, max: Number.NaN};
        const promptless = {...okResult, stats: {...okResult.stats!, ppTps: nan}};
        expect(getColumn("pp_tps_mean").get(promptless)).toBeNull();
        expect(formatCell(getColumn("pp_tps_mean"), promptless)).toBe("");
    });

    it("formats for humans", () => {
        expect(formatCell(getColumn("model_bytes"), okResult)).toBe("608 MiB");
        expect(formatCell(getColumn("model_params"), okResult)).toBe("1.10 B");
        expect(formatCell(getColumn("efficiency"), okResult)).toBe("68.3 %");
        expect(formatCell(getColumn("flash_attn"), okResult)).toBe("off");
        expect(formatCell(getColumn("tg_tps_mean"), okResult)).toMatch(/^\d+\.\d\d$/);
        expect(formatCell(getColumn("timestamp"), okResult)).toBe("2026-11-21 22:04:02Z");
        expect(formatCell(getColumn("ceiling_tps_theoretical"), syntheticResult)).toBe("");
    });

    it("joins per-repetition samples so they survive one CSV cell", () => {
        const text = getColumn("tg_samples_tps").get(okResult) as string;
        const values = splitNumberList(text);
        expect(values).toHaveLength(3);
        expect(values[0]).toBe(128 / (2844.08 / 1000));
        expect(splitNumberList(joinNumberList([1.5, Number.NaN, 3]))).toEqual([1.5, Number.NaN, 3]);
        expect(splitNumberList("")).toEqual([]);
        expect(() => splitNumberList("1;x")).toThrow(/not a number/);
    });
});

describe("the column table, both ways", () => {
    it("every column puts its value back on import, except the rates derived from other columns", () => {
        // A new column without `put` fails here until it is read back too (or is derived, and says so here).
        expect(COLUMNS.filter((column) => column.put == null).map((column) => column.key)).toEqual(["pp_samples_tps", "tg_samples_tps"]);
    });

    it("heads the app's results cells from the table", () => {
        for (const cell of APP_VIEW) {
            const {heading, description} = viewHeading(cell);
            expect(heading).not.toBe("");
            expect(description.split("\n")).toHaveLength(cell.keys.length);
        }
    });
});
