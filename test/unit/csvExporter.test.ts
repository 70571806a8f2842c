import {parse} from "csv-parse/sync";
import {describe, expect, it} from "vitest";
import {COLUMNS} from "../../src-main/engine/export/columns.js";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {errorResult, okResult, sampleResults} from "./fixtures/sampleResults.js";

describe("csvExporter", () => {
    it("writes a header of column keys and one CRLF-terminated record per result", () => {
        const text = csvExporter.serialize(sampleResults);
        const firstLine = text.slice(0, text.indexOf("\r\n"));
        expect(firstLine).toBe(COLUMNS.map((c) => c.key).join(","));
        const records = parse(text) as string[][];
        expect(records).toHaveLength(1 + sampleResults.length);
        expect(records.every((r) => r.length === COLUMNS.length)).toBe(true);
        expect(text.endsWith("\r\n")).toBe(true);
    });

    it("quotes a CPU name holding a comma", () => {
        const text = csvExporter.serialize([okResult]);
        expect(text).toContain(",\"Intel(R) Core(TM) i9, 10 cores\",");
    });

    it("doubles quotes and keeps a line break inside one quoted field", () => {
        const text = csvExporter.serialize([errorResult]);
        expect(text).toContain("\"broken \"\"model\"\".gguf: failed to load model, tensor 'blk.3.ffn_down.weight' "
            + "data is not within the file bounds\nllama_model_load: error loading model\"");
        const records = parse(text, {columns: true}) as Array<Record<string, string>>;
        expect(records).toHaveLength(1);
        expect(records[0]!.error).toBe(errorResult.error);
        expect(records[0]!.model_path).toBe("/home/ana/models/broken \"model\".gguf");
    });

    it("quotes a field whose only special character is a line break", () => {
        const plain = {...errorResult, error: "first line\nsecond line"};
        const text = csvExporter.serialize([plain]);
        expect(text).toContain(",\"first line\nsecond line\",");
        const records = parse(text, {columns: true}) as Array<Record<string, string>>;
        expect(records).toHaveLength(1);
        expect(records[0]!.error).toBe("first line\nsecond line");
    });

    it("writes raw full-precision values, empty cells for missing ones, true/false for flags", () => {
        const records = parse(csvExporter.serialize([okResult, errorResult]), {columns: true}) as Array<Record<string, string>>;
        expect(records[0]!.tg_tps_mean).toBe(String(okResult.stats!.tgTps.mean));
        expect(records[0]!.flash_attn).toBe("false");
        expect(records[0]!.model_bytes).toBe("637699040");
        expect(records[1]!.tg_tps_mean).toBe("");
        expect(records[1]!.ceiling_tps).toBe("");
    });

    it("writes only the header for no results", () => {
        expect(csvExporter.serialize([])).toBe(COLUMNS.map((c) => c.key).join(",") + "\r\n");
        expect(csvExporter.extension).toBe("csv");
        expect(csvExporter.mime).toBe("text/csv");
    });
});
