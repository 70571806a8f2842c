import {describe, expect, it} from "vitest";
import {DEFAULT_COLUMNS} from "../../src-main/engine/export/columns.js";
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
        const {afterEach, all} = printAll("table", sampleResults.slice(0, 3));
        expect(afterEach[0]!.split("\n")).toHaveLength(3);
        const lines = all.trimEnd().split("\n");
        const header = lines[0]!;
        const starts = DEFAULT_COLUMNS.map((c) => header.indexOf(c.header));
        // Rows whose cells fit the preset widths line up with the header (the model name column is the
        // widest; the fixtures' names fit its 24+ hint or push all cells by the same amount on that row).
        const threadsIndex = DEFAULT_COLUMNS.findIndex((c) => c.key === "threads");
        for (const line of lines.slice(2)) {
            const shift = line.indexOf("  ") - (starts[1]! - 2);
            expect(shift).toBeGreaterThanOrEqual(0);
            const threadsEnd = starts[threadsIndex]! + DEFAULT_COLUMNS[threadsIndex]!.header.length + shift;
            expect(line[threadsEnd]).toBe(" ");
            expect(line[threadsEnd - 1]).toMatch(/\d/);
        }
    });
});
