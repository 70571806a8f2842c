import {describe, expect, it} from "vitest";
import {createStreamingPrinter} from "../../src-main/engine/export/createStreamingPrinter.js";
import type {ExportFormat} from "../../src-main/engine/export/exporter.js";
import {getExporter} from "../../src-main/engine/export/exporters.js";
import {parseResultsCsv} from "../../src-main/engine/export/parseResultsCsv.js";
import type {TestResult} from "../../src-main/engine/types.js";
import {sampleResults} from "./fixtures/sampleResults.js";

/** Print the results row by row; returns what was written after header(), after each row(), and at the end. */
function printAll(format: ExportFormat, results: TestResult[]) {
    const chunks: string[] = [];
    const printer = createStreamingPrinter(format, (s) => chunks.push(s));
    const afterEach: string[] = [];
    printer.header();
    afterEach.push(chunks.join(""));
    for (const r of results) {
        printer.row(r);
        afterEach.push(chunks.join(""));
    }
    printer.footer();
    return {afterEach, all: chunks.join("")};
}

describe("createStreamingPrinter", () => {
    it("prints CSV, JSON lines and Markdown row by row, the same as the whole export", () => {
        for (const format of ["csv", "jsonl", "md"] as const) {
            const {afterEach, all} = printAll(format, sampleResults);
            expect(all).toBe(getExporter(format).serialize(sampleResults));
            // Every row is out as soon as it is given.
            for (let i = 1; i < afterEach.length; i++)
                expect(afterEach[i]!.length).toBeGreaterThan(afterEach[i - 1]!.length);
        }
    });

    it("streams CSV that parses back", () => {
        expect(parseResultsCsv(printAll("csv", sampleResults).all)).toEqual(sampleResults);
    });

    it("collects JSON and prints one valid array at the end", () => {
        const {afterEach, all} = printAll("json", sampleResults);
        expect(afterEach.every((s) => s === "")).toBe(true);
        expect(JSON.parse(all)).toEqual(sampleResults);
        expect(JSON.parse(printAll("json", []).all)).toEqual([]);
    });

    it("prints an aligned table row by row, with widths fixed before the first row", () => {
        const rows = sampleResults.slice(0, 3);
        const {afterEach, all} = printAll("table", rows);
        expect(afterEach[0]!.split("\n")).toHaveLength(3);
        const lines = all.trimEnd().split("\n");
        const threadsEnd = lines[0]!.indexOf("threads") + "threads".length;
        const modelWidth = lines[1]!.indexOf(" ");
        rows.forEach((r, i) => {
            // A model name wider than its preset column shifts the rest of its own line, and only that.
            const shift = Math.max(0, r.model!.fileName.length - modelWidth);
            const line = lines[2 + i]!;
            expect(line.slice(0, threadsEnd + shift).trimEnd().endsWith(` ${r.config.threads}`)).toBe(true);
            expect(line[threadsEnd + shift]).toBe(" ");
        });
    });
});

describe("createStreamingPrinter minWidths", () => {
    it("widens a column to a width known in advance, so long model names stay aligned", () => {
        const chunks: string[] = [];
        const longest = Math.max(...sampleResults.map((r) => r.model?.fileName.length ?? 0));
        const printer = createStreamingPrinter("table", (s) => chunks.push(s), {minWidths: {model_file: longest}});
        printer.header();
        for (const r of sampleResults.filter((x) => x.model != null))
            printer.row(r);
        printer.footer();
        const lines = chunks.join("").trimEnd().split("\n");
        const typeStart = lines[0]!.indexOf("type");
        expect(typeStart).toBe(longest + 2);
        for (const line of lines.slice(2))
            expect(line.slice(typeStart, typeStart + 4)).toMatch(/^Q\d_\d$/);
    });
});
