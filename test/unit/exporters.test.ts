import {describe, expect, it} from "vitest";
import {DEFAULT_COLUMNS, REPORT_COLUMNS, getColumn} from "../../src-main/engine/export/columns.js";
import {getExporter, isExportFormat} from "../../src-main/engine/export/exporters.js";
import {EXPORT_FORMATS} from "../../src-main/engine/export/exporter.js";
import {escapeMarkdownCell, markdownExporter} from "../../src-main/engine/export/markdownExporter.js";
import {createTableExporter, tableExporter} from "../../src-main/engine/export/tableExporter.js";
import {errorResult, okResult, sampleResults} from "./fixtures/sampleResults.js";

describe("getExporter", () => {
    it("has one exporter per format, each with a MIME type and an extension", () => {
        expect([...EXPORT_FORMATS].sort()).toEqual(["csv", "json", "jsonl", "md", "table"]);
        for (const format of EXPORT_FORMATS) {
            const exporter = getExporter(format);
            expect(exporter.format).toBe(format);
            expect(exporter.mime).toMatch(/^[a-z]+\/[a-z.+-]+$/);
            expect(exporter.extension).toMatch(/^[a-z]+$/);
        }
        expect(isExportFormat("md")).toBe(true);
        expect(isExportFormat("toString")).toBe(false);
        expect(() => getExporter("xlsx")).toThrow(/Unknown export format "xlsx"/);
    });
});

describe("jsonExporter / jsonlExporter", () => {
    it("JSON is the full results, pretty-printed", () => {
        const text = getExporter("json").serialize(sampleResults);
        expect(JSON.parse(text)).toEqual(sampleResults);
        expect(text).toContain("\n  {\n    \"id\"");
    });

    it("JSON lines is one full result per line", () => {
        const text = getExporter("jsonl").serialize(sampleResults);
        const lines = text.trimEnd().split("\n");
        expect(lines).toHaveLength(sampleResults.length);
        expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(sampleResults);
        expect(getExporter("jsonl").serialize([])).toBe("");
    });
});

describe("markdownExporter", () => {
    it("writes a GitHub table of the report columns with numbers right-aligned, ending with the line on the gap", () => {
        const lines = markdownExporter.serialize(sampleResults).trimEnd().split("\n");
        expect(lines).toHaveLength(2 + sampleResults.length);
        const cellCount = (line: string) => line.replace(/\\\|/g, "").split("|").length - 2;
        for (const line of lines)
            expect(cellCount(line)).toBe(REPORT_COLUMNS.length);
        expect(lines[0]).toContain("| decode t/s | tg t/s (end to end) |");
        expect(lines[0]).toMatch(/\| why \|$/);
        expect(lines[2]).toMatch(/\| memory-bound: 68% of the measured-bandwidth ceiling; prompt processing is compute-bound \(5\.6× the generation rate\) \|$/);
        expect(lines[1]).toContain("---:");
        expect(lines[2]).toContain("| 608 MiB |");
    });

    it("escapes | and line breaks so a cell cannot break the table", () => {
        expect(escapeMarkdownCell("a|b\nc")).toBe("a\\|b<br>c");
        const withPipe = {...errorResult, error: "x | y"};
        const row = markdownExporter.serialize([withPipe]).trimEnd().split("\n")[2]!;
        expect(row).toContain("x \\| y");
        const errorRow = markdownExporter.serialize([errorResult]).trimEnd().split("\n");
        expect(errorRow).toHaveLength(3);
        expect(errorRow[2]).toContain("<br>llama_model_load");
    });
});

describe("tableExporter", () => {
    it("aligns every column: cells start where their header starts", () => {
        const lines = tableExporter.serialize(sampleResults).trimEnd().split("\n");
        expect(lines).toHaveLength(2 + sampleResults.length);
        // The rule line has one run of dashes per column; each header starts where its run starts.
        const rule = lines[1]!;
        const starts = [...rule.matchAll(/-+/g)].map((m) => m.index);
        expect(starts).toHaveLength(DEFAULT_COLUMNS.length);
        DEFAULT_COLUMNS.forEach((c, i) => {
            if (c.align !== "right")
                expect(lines[0]!.slice(starts[i], starts[i]! + c.header.length)).toBe(c.header);
        });
        // A right-aligned number ends where its column's rule ends.
        const tgIndex = DEFAULT_COLUMNS.findIndex((c) => c.key === "tg_tps_mean");
        const tgEnd = rule.indexOf(" ", starts[tgIndex]!);
        const tgText = getColumn("tg_tps_mean").format!(okResult.stats!.tgTps.mean);
        expect(lines[2]!.slice(tgEnd - tgText.length, tgEnd)).toBe(tgText);
    });

    it("keeps a multi-line error on one line", () => {
        const lines = tableExporter.serialize([errorResult]).trimEnd().split("\n");
        expect(lines).toHaveLength(3);
        expect(lines[2]).toContain("file bounds llama_model_load");
    });

    it("shows chosen columns", () => {
        const text = createTableExporter({columns: [getColumn("model_file"), getColumn("cpu")]}).serialize([okResult]);
        expect(text.split("\n")[2]).toBe("tinyllama-1.1b-chat-v1.0.Q4_0.gguf  Intel(R) Core(TM) i9, 10 cores");
    });
});
