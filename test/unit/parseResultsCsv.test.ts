import {parse} from "csv-parse/sync";
import {stringify} from "csv-stringify/sync";
import {describe, expect, it} from "vitest";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {parseResultsCsv} from "../../src-main/engine/export/parseResultsCsv.js";
import {cancelledResult, errorResult, okResult, sampleResults} from "./fixtures/sampleResults.js";

describe("parseResultsCsv", () => {
    it("reads back exactly what csvExporter wrote", () => {
        const back = parseResultsCsv(csvExporter.serialize(sampleResults));
        expect(back).toEqual(sampleResults);
    });

    it("reads back the offloaded layers and the measured and estimated memory, shown as 17/17 and sizes", () => {
        const gpu = {
            ...okResult,
            load: {...okResult.load!, gpuLayers: 17, offloadedLayers: 17, totalLayers: 17},
            memory: {
                ramPeakBytes: 262_000_000, ramPeakAnonBytes: 118_000_000, ramPeakFileBytes: 127_000_000, vramPeakBytes: 141_000_000,
                ramEstimateBytes: 261_000_000, ramEstimateAnonBytes: 145_000_000, ramEstimateFileBytes: 116_000_000, vramEstimateBytes: 141_000_000
            }
        };
        const csv = csvExporter.serialize([gpu]);
        expect(parseResultsCsv(csv)).toEqual([gpu]);
        const [row] = parse(csv, {columns: true}) as Array<Record<string, string>>;
        expect(row).toMatchObject({gpu_layers_offloaded: "17/17", ram_peak_bytes: "262000000", vram_estimate_bytes: "141000000"});
    });

    it("reads back each repetition's background load and the host's share of it, and leaves unknown ones unset", () => {
        const busy = {...okResult, samples: okResult.samples.map((sample, i) => (i === 0 ? {...sample, backgroundCores: 0.75, stealCores: 0.5} : sample))};
        const [back] = parseResultsCsv(csvExporter.serialize([busy]));
        expect(back!.samples[0]!.backgroundCores).toBe(0.75);
        expect(back!.samples[0]!.stealCores).toBe(0.5);
        expect(back!.samples.slice(1).every((sample) => !("backgroundCores" in sample) && !("stealCores" in sample))).toBe(true);
        expect(back).toEqual(busy);
    });
    it("reads back the legacy format a model was converted from, and leaves it unset for GGUF rows", () => {
        const converted = {...okResult, model: {...okResult.model!, fileName: "llama-7b.ggmlv3.q4_0.bin", convertedFrom: "ggjt v3"}};
        const [back, plain] = parseResultsCsv(csvExporter.serialize([converted, okResult]));
        expect(back).toEqual(converted);
        expect(plain!.model).not.toHaveProperty("convertedFrom");
    });

    it("reads back the per-token latency percentiles and the energy; the token times themselves stay in JSON", () => {
        const measured = {
            ...okResult,
            samples: okResult.samples.map((sample, i) => ({...sample, ppEnergyJ: 61.2 + i, tgEnergyJ: 88.4 + i, tokenMs: [22.4, 21.9, 23.108]})),
            tokenLatency: {tokens: 384, p50: 22.18, p90: 22.71, p99: 31.04, max: 48.337},
            energy: {joules: 150.6, tokensPerJoule: 1.4318, source: "RAPL package-0 (intel-rapl:0)"}
        };
        const unmeasured = {...okResult, id: "no-energy", energy: {joules: null, tokensPerJoule: null, source: null, note: "energy not measured: no RAPL energy counters"}};
        const csv = csvExporter.serialize([measured, unmeasured]);
        const [row, empty] = parse(csv, {columns: true}) as Array<Record<string, string>>;
        expect(row).toMatchObject({tg_ms_p50: "22.18", tg_ms_p99: "31.04", tg_ms_max: "48.337", tg_ms_tokens: "384", energy_j: "150.6",
            tokens_per_joule: "1.4318", samples_tg_energy_j: "88.4;89.4;90.4", energy_note: ""});
        expect(empty).toMatchObject({energy_j: "", tokens_per_joule: "", energy_source: "", energy_note: "energy not measured: no RAPL energy counters"});
        const [back, backEmpty] = parseResultsCsv(csv);
        expect(back).toEqual({...measured, samples: measured.samples.map(({tokenMs: _, ...sample}) => sample)});
        expect(backEmpty).toEqual(unmeasured);
        // rows without them (older files, llama-bench) get neither
        expect(parseResultsCsv(csvExporter.serialize([okResult]))[0]).not.toHaveProperty("tokenLatency");
        expect(parseResultsCsv(csvExporter.serialize([okResult]))[0]).not.toHaveProperty("energy");
    });

    it("reads the line on the gap back into ceiling.explanation, quotes and all", () => {
        const text = csvExporter.serialize(sampleResults);
        const header = (parse(text) as string[][])[0]!;
        expect(header).toContain("explanation");
        const back = parseResultsCsv(text);
        expect(back[0]!.ceiling?.explanation).toBe(okResult.ceiling!.explanation);
        expect(back[2]!.ceiling?.explanation).toMatch(/^18% of the bandwidth ceiling: time goes to compute or overhead \(few threads, a small model\), not memory; .*10\.2× the generation rate\)$/);
        // A file from before the column: the rest of the ceiling still reads, without a line.
        const records = parse(text) as string[][];
        const at = header.indexOf("explanation");
        const older = stringify(records.map((row) => row.filter((_, i) => i !== at)));
        const [withoutLine] = parseResultsCsv(older);
        expect(withoutLine!.ceiling?.ceilingTps).toBe(okResult.ceiling!.ceilingTps);
        expect(withoutLine!.ceiling).not.toHaveProperty("explanation");
    });

    it("keeps an error row an error row: no model, load, stats or samples invented", () => {
        const [back] = parseResultsCsv(csvExporter.serialize([errorResult]));
        expect(back).toEqual(errorResult);
        expect(back!.model).toBeUndefined();
        expect(back!.load).toBeUndefined();
        expect(back!.stats).toBeUndefined();
        expect(back!.ceiling).toBeUndefined();
        expect(back!.samples).toEqual([]);
    });

    it("keeps the per-repetition samples and llama.cpp's counters", () => {
        const [back] = parseResultsCsv(csvExporter.serialize([okResult]));
        expect(back!.samples).toEqual(okResult.samples);
        expect(back!.samples[1]!.llama?.evalRuns).toBe(127);
        expect(back!.config.contextSize).toBe(640);
        const [cancelled] = parseResultsCsv(csvExporter.serialize([cancelledResult]));
        expect(cancelled!.config.contextSize).toBeUndefined();
        expect(cancelled!.samples).toHaveLength(1);
    });

    it("matches columns by name: reordered, LF line ends, a BOM and unknown columns are fine", () => {
        const records = parse(csvExporter.serialize(sampleResults)) as string[][];
        const order = records[0]!.map((_, i) => i).reverse();
        const shuffled = records.map((row, r) => [...order.map((i) => row[i]!), r === 0 ? "comment" : "from a spreadsheet"]);
        const text = "\uFEFF" + stringify(shuffled, {record_delimiter: "unix"});
        expect(parseResultsCsv(text)).toEqual(sampleResults);
    });

    it("reads an empty file as no results", () => {
        expect(parseResultsCsv("")).toEqual([]);
    });

    it("names the row and column of a value it cannot read", () => {
        const text = csvExporter.serialize([okResult, okResult]);
        const broken = text.replace(/\r\n$/, "").split("\r\n");
        const header = (parse(broken[0]!) as string[][])[0]!;
        const cells = (parse(broken[2]!) as string[][])[0]!;
        cells[header.indexOf("threads")] = "ten";
        broken[2] = stringify([cells]).trimEnd();
        expect(() => parseResultsCsv(broken.join("\r\n"))).toThrow(/row 2, column threads/);
    });

    it("refuses a CSV that is not a results file", () => {
        expect(() => parseResultsCsv("name,value\r\na,1\r\n")).toThrow(/Not a LlamaMeter results CSV/);
    });

    it("refuses an unknown status", () => {
        const text = csvExporter.serialize([okResult]).replace(",ok,", ",great,");
        expect(() => parseResultsCsv(text)).toThrow(/status/);
    });
});
