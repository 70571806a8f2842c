// A ggjt v3 file through the real bench path: converted on first use, then run by llama.cpp like any GGUF,
// the row naming the source file and the format; an older container in the same sweep gets an error row.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import type {BenchEvent, SweepSpec} from "../../src-main/engine/types.js";
import {GGML_TYPE} from "../../src-main/engine/models/ggmlTypes.js";
import {inspectModel} from "../../src-main/engine/models/inspectModel.js";
import {getColumn, formatCell} from "../../src-main/engine/export/columns.js";
import {tinyGgjtLlama, writeGgjtFile} from "../fixtures/writeGgjtFile.js";

let dir: string;
let source: string;
let oldFile: string;

beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-ggjt-bench-"));
    source = await writeGgjtFile(path.join(dir, "tiny.ggmlv3.q4_0.bin"), tinyGgjtLlama(GGML_TYPE.Q4_0));
    oldFile = await writeGgjtFile(path.join(dir, "old.ggjt-v2.bin"), {...tinyGgjtLlama(GGML_TYPE.Q4_0), version: 2});
});

afterAll(async () => {
    await fs.rm(dir, {recursive: true, force: true});
});

const spec = (models: string[]): SweepSpec => ({
    models, gpuLayers: [0], threads: [1], batchSizes: [64], nPrompt: [16], nGen: [8], reps: 1, flashAttention: [false]
});

describe("a ggjt v3 file in a sweep", () => {
    it("is converted, then benchmarked for real, the row naming the source and \"ggjt v3\"", async () => {
        const convertedDir = path.join(dir, "converted");
        const events: BenchEvent[] = [];
        const results = await runSweep(spec([source, oldFile]), {gpu: "cpu", convertedDir, onEvent: (event) => events.push(event)});

        const converted = events.filter((event) => event.type === "converted");
        expect(converted).toHaveLength(1);
        expect(converted[0]).toMatchObject({file: source, from: "ggjt v3", cached: false});
        const gguf = (converted[0] as Extract<BenchEvent, {type: "converted"}>).gguf;
        expect(path.dirname(gguf)).toBe(convertedDir);
        expect(events.some((event) => event.type === "progress" && /converting tiny\.ggmlv3\.q4_0\.bin \(ggjt v3\) to GGUF: \d+%/.test(event.message))).toBe(true);

        const [row, oldRow] = [results.find((r) => r.config.modelPath === source)!, results.find((r) => r.config.modelPath === oldFile)!];
        expect(row.status, row.error).toBe("ok");
        expect(row.model).toMatchObject({file: source, fileName: "tiny.ggmlv3.q4_0.bin", fileBytes: (await fs.stat(source)).size, weightType: "Q4_0", nLayer: 2, convertedFrom: "ggjt v3"});
        expect(row.samples[0]?.promptTokens).toBe(16);
        expect(row.samples[0]?.genTokens).toBe(8);
        expect(row.samples[0]?.llama?.evalRuns).toBe(8);
        expect(formatCell(getColumn("converted_from"), row)).toBe("ggjt v3");
        expect(formatCell(getColumn("model_file"), row)).toBe("tiny.ggmlv3.q4_0.bin");

        expect(oldRow.status).toBe("error");
        expect(oldRow.error).toMatch(/^.*old\.ggjt-v2\.bin: is a ggjt v2 file \(magic "ggjt", version 2, May 2023\)/);
        expect(oldRow.error).not.toMatch(/\n/);

        const info = await inspectModel(gguf);
        expect(info).toMatchObject({convertedFrom: "ggjt v3", nHeadKv: 2, nFf: 768, vocabSize: 512});
        // the ggjt file itself is described from its header, without converting, as its GGUF is
        const fromHeader = await inspectModel(source);
        const same = ({file: _f, fileName: _n, fileBytes: _b, name: _name, ...rest}: typeof info) => rest;
        expect(same(fromHeader)).toEqual(same(info));
        expect(fromHeader).toMatchObject({file: source, fileName: "tiny.ggmlv3.q4_0.bin", fileBytes: (await fs.stat(source)).size});
        await expect(inspectModel(oldFile)).rejects.toThrow(/is a ggjt v2 file/);

        // the next sweep finds the conversion in the cache
        const again: BenchEvent[] = [];
        const second = await runSweep({...spec([source]), nGen: [4]}, {gpu: "cpu", convertedDir, onEvent: (event) => again.push(event)});
        expect(second[0]?.status, second[0]?.error).toBe("ok");
        expect(again.find((event) => event.type === "converted")).toMatchObject({gguf, cached: true, ms: 0});
    });
});
