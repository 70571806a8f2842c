// Issue 13, Broken 2: a model file named like a formula must not run in a spreadsheet, and the CSV
// import must give back exactly what was exported.
import {parse} from "csv-parse/sync";
import {describe, expect, it} from "vitest";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {parseResultsCsv} from "../../src-main/engine/export/parseResultsCsv.js";
import {guardCsvCell, unguardCsvCell} from "../../src-main/engine/export/csvFormulaGuard.js";
import {okResult} from "./fixtures/sampleResults.js";

const formulaNames = [
    "=HYPERLINK(\"http://evil.example/x\",\"click\").gguf",
    "+cmd.gguf",
    "-2+3.gguf",
    "@SUM(1+1).gguf",
    "\tTAB.gguf",
    "\r=CR.gguf",
    // Already guarded-looking names must survive the round trip too.
    "'=quoted.gguf",
    "''=twice.gguf",
    "'plain.gguf"
];

function named(fileName: string) {
    return {
        ...okResult,
        id: `id-${fileName}`,
        config: {...okResult.config, modelPath: `/models/${fileName}`},
        model: {...okResult.model!, file: `/models/${fileName}`, fileName},
        // a CPU name and an error line are text cells too
        env: {...okResult.env, cpu: "=1+1"}
    };
}

describe("CSV formula neutralisation", () => {
    it("writes no text cell that a spreadsheet would run as a formula", () => {
        const text = csvExporter.serialize(formulaNames.map(named));
        const records = parse(text, {columns: true}) as Array<Record<string, string>>;
        for (const record of records) {
            for (const [key, cell] of Object.entries(record))
                expect(/^[=+\-@\t\r]/.test(cell) && !/^-?\d/.test(cell), `${key}: ${JSON.stringify(cell)}`).toBe(false);
        }
        expect(records[0]!.model_file).toBe("'=HYPERLINK(\"http://evil.example/x\",\"click\").gguf");
        expect(records[1]!.model_file).toBe("'+cmd.gguf");
        expect(records[3]!.model_file).toBe("'@SUM(1+1).gguf");
        expect(records[0]!.cpu).toBe("'=1+1");
    });

    it("reads every formula-looking name back exactly", () => {
        const rows = formulaNames.map(named);
        expect(parseResultsCsv(csvExporter.serialize(rows))).toEqual(rows);
    });

    it("leaves negative numbers numbers", () => {
        expect(guardCsvCell("-12.5")).toBe("-12.5");
        expect(guardCsvCell("-1e-3")).toBe("-1e-3");
        const negative = {...okResult, ceiling: {...okResult.ceiling!, efficiency: -0.25}};
        const text = csvExporter.serialize([negative]);
        expect((parse(text, {columns: true}) as Array<Record<string, string>>)[0]!.efficiency).toBe("-0.25");
        expect(parseResultsCsv(text)[0]!.ceiling!.efficiency).toBe(-0.25);
    });

    it("unguard inverts guard, and leaves a hand-written leading quote alone", () => {
        for (const text of [...formulaNames, "", "'", "''", "a", "-", "'-", "'-5", "@", "'@"])
            expect(unguardCsvCell(guardCsvCell(text))).toBe(text);
        expect(unguardCsvCell("'hello")).toBe("'hello");
    });
});
