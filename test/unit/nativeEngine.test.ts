// The native engine's plumbing with a stand-in llama-bench (a script that prints real llama-bench JSON, captured
// from llama-bench v0.5.0 on a 30m synthetic model): arguments, parsing, samples, finding the binary, and rows.
// test/model/nativeEngine.test.ts runs the real llama-bench where one can be found.
import {chmod, mkdtemp, readFile, rm, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {llamaBenchArgs, llamaBenchMmapFlag, parseLlamaBenchJson, samplesFromLlamaBench} from "../../src-main/engine/native/runLlamaBench.js";
import {findLlamaBench} from "../../src-main/engine/native/findLlamaBench.js";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import {writeSyntheticGguf} from "../../src-main/engine/models/writeSyntheticGguf.js";
import {resolveShape} from "../../src-main/engine/models/shapePresets.js";
import type {TestConfig} from "../../src-main/engine/types.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "llamaBench");
const config: TestConfig = {modelPath: "/m/x.gguf", gpuLayers: 0, threads: 2, batchSize: 512, nPrompt: 16, nGen: 8, reps: 2, flashAttention: true};

let dir = "";
let fake = "";
let model = "";
beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "llamameter-native-"));
    fake = path.join(dir, "llama-bench");
    // prints the prompt fixture for "-n 0", else the generation one; logs its arguments
    await writeFile(fake, `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(path.join(dir, "args.log"))}, JSON.stringify(args) + "\\n");
if (args.includes("--fail")) { console.error("error: failed to load model"); process.exit(1); }
if (args[0] === "--help") { console.log("  -lm, --load-mode <auto|none|mmap|mlock|mmap+mlock|dio> (default: auto)"); process.exit(0); }
const n = args[args.indexOf("-n") + 1];
process.stdout.write(fs.readFileSync(${JSON.stringify(fixtures)} + (n === "0" ? "/pp.json" : "/tg.json"), "utf8"));
`);
    await chmod(fake, 0o755);
    model = (await writeSyntheticGguf({shape: resolveShape("tiny"), type: "q4_0", outPath: path.join(dir, "tiny.gguf")})).path;
});
afterAll(async () => {
    await rm(dir, {recursive: true, force: true});
});

describe("llama-bench arguments and output", () => {
    it("asks llama-bench for the same test: prompt from an empty cache, generation at depth P, batch = micro-batch", () => {
        expect(llamaBenchArgs(config, "/m/x.gguf", "pp")).toEqual(["-m", "/m/x.gguf", "-t", "2", "-r", "2", "-b", "512", "-ub", "512", "-ngl", "0", "-fa", "1", "-p", "16", "-n", "0", "-o", "json"]);
        expect(llamaBenchArgs({...config, gpuLayers: "max", flashAttention: false}, "/m/x.gguf", "tg").slice(10))
            .toEqual(["-ngl", "999", "-fa", "0", "-p", "0", "-n", "8", "-d", "16", "-o", "json"]);
    });

    it("passes depth, KV-cache types, micro-batch and mmap: the prompt at depth d, generation after d + p", () => {
        const swept: TestConfig = {...config, nDepth: 256, typeK: "q8_0", typeV: "q4_0", ubatchSize: 128, useMmap: false};
        expect(llamaBenchArgs(swept, "/m/x.gguf", "pp").slice(6)).toEqual(["-b", "512", "-ub", "128", "-ngl", "0", "-fa", "1",
            "-ctk", "q8_0", "-ctv", "q4_0", "-lm", "none", "-p", "16", "-n", "0", "-d", "256", "-o", "json"]);
        expect(llamaBenchArgs(swept, "/m/x.gguf", "tg").slice(-10)).toEqual(["-lm", "none", "-p", "0", "-n", "8", "-d", "272", "-o", "json"]);
        // an older llama-bench takes -mmp 0|1
        expect(llamaBenchArgs(swept, "/m/x.gguf", "pp", "mmp")).toContain("-mmp");
        expect(llamaBenchMmapFlag("  -mmp, --mmap <0|1>   (default: 1)")).toBe("mmp");
        expect(llamaBenchMmapFlag("  -lm, --load-mode <auto|none|mmap|mlock|mmap+mlock|dio> (default: auto)")).toBe("load-mode");
    });

    it("pairs its prompt and generation samples into repetitions, with nothing outside the decode and no first-token time", async () => {
        const pp = parseLlamaBenchJson(await readFile(path.join(fixtures, "pp.json"), "utf8"))[0];
        const tg = parseLlamaBenchJson(await readFile(path.join(fixtures, "tg.json"), "utf8"))[0];
        const samples = samplesFromLlamaBench(config, pp, tg);
        expect(samples).toHaveLength(2);
        expect(samples[0]).toMatchObject({promptTokens: 16, ppMs: 9.587348, genTokens: 8, tgMs: 14.978543, outsideMs: 0});
        expect(samples[0]!.ttftMs).toBeNaN();
        // llama-bench's own rate, recomputed from its nanoseconds
        expect(8 / (samples[0]!.tgMs / 1000)).toBeCloseTo(tg!.samples_ts[0]!, 1);
    });

    it("refuses output that is not llama-bench's JSON in one line", () => {
        expect(() => parseLlamaBenchJson("error: unknown argument: -d")).toThrow(/^llama-bench printed no JSON \(error: unknown argument: -d\)$/);
        expect(() => parseLlamaBenchJson("[{\"n_prompt\": 1}]")).toThrow("not a list of tests with samples_ns");
    });
});

describe("findLlamaBench", () => {
    it("takes the given binary, else the PATH's, and says why not in one line", async () => {
        expect(await findLlamaBench({explicitPath: fake})).toEqual({path: fake, origin: "given"});
        expect(await findLlamaBench({envPath: dir, sourceDir: path.join(dir, "none")})).toEqual({path: fake, origin: "PATH"});
        await expect(findLlamaBench({explicitPath: path.join(dir, "nope")})).rejects.toThrow(/^--llama-bench .*nope: no executable file there$/);
        await expect(findLlamaBench({envPath: "", sourceDir: path.join(dir, "none"), build: false})).rejects.toThrow(/^no llama-bench: none on PATH/);
    });
});

describe("runSweep with the native engine", () => {
    it("puts llama-bench's figures in rows of their own, with the same settings and columns", async () => {
        const results = await runSweep({
            models: [model], gpuLayers: [0], threads: [2], batchSizes: [512], nPrompt: [16], nGen: [8], reps: 2,
            flashAttention: [true], engines: ["llama-bench"]
        }, {llamaBench: {explicitPath: fake}});
        expect(results).toHaveLength(1);
        const row = results[0]!;
        expect(row.status, row.error).toBe("ok");
        expect(row.engine).toBe("llama-bench");
        expect(row.env.binary).toMatchObject({buildType: "llama-bench", origin: expect.stringMatching(/^given: llama-bench;/)});
        expect(row.stats!.tgTps.mean).toBeCloseTo((534.097 + 471.642) / 2, 0);
        expect(row.stats!.tgDecodeTps.mean).toBeCloseTo(row.stats!.tgTps.mean, 6);
        expect(row.stats!.ttftMs.n).toBe(0);
        const args = (await readFile(path.join(dir, "args.log"), "utf8")).trim().split("\n").map((line) => JSON.parse(line) as string[]);
        // its --help once, for the mmap flag its release takes, then the two phases
        expect(args.map((a) => a.includes("-p") ? a.slice(a.indexOf("-ctk")).join(" ") : a.join(" "))).toEqual([
            "--help", "-ctk f16 -ctv f16 -lm mmap -p 16 -n 0 -o json", "-ctk f16 -ctv f16 -lm mmap -p 0 -n 8 -d 16 -o json"]);
    });

    it("gives an error row naming the file and the reason when llama-bench fails or cannot be found, and runs the rest", async () => {
        const failing = path.join(dir, "failing-llama-bench");
        await writeFile(failing, `#!/bin/sh\nexec ${fake} --fail "$@"\n`);
        await chmod(failing, 0o755);
        const spec = {
            models: [model], gpuLayers: [0], threads: [1], batchSizes: [512], nPrompt: [16], nGen: [8], reps: 1,
            flashAttention: [true], engines: ["llama-bench" as const]
        };
        const [failed] = await runSweep(spec, {llamaBench: {explicitPath: failing}});
        expect(failed!.status).toBe("error");
        expect(failed!.error).toBe(`${model}: native engine: llama-bench failed: error: failed to load model`);
        const [missing] = await runSweep(spec, {llamaBench: {explicitPath: path.join(dir, "nope")}});
        expect(missing!.error).toMatch(/native engine: --llama-bench .*nope: no executable file there$/);
    });
});
