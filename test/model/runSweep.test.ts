// Real llama.cpp runs (prebuilt CPU binaries) on a tiny synthetic model written by the test.
import {truncate, copyFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import {forkSpawner, type WorkerSpawner} from "../../src-main/engine/bench/BenchWorkerClient.js";
import type {BenchEvent, SweepSpec, TestResult} from "../../src-main/engine/types.js";
import {csvExporter} from "../../src-main/engine/export/csvExporter.js";
import {parse} from "csv-parse/sync";
import {useTinyModel} from "../fixtures/useTinyModel.js";
import {formatBinary} from "../../src-main/engine/llama/formatBinary.js";

const tiny = useTinyModel("llamameter-sweep-");

const quickSpec = (models: string[], overrides: Partial<SweepSpec> = {}): SweepSpec => ({
    models,
    gpuLayers: [0],
    threads: [1],
    batchSizes: [64],
    nPrompt: [16],
    nGen: [8],
    reps: 2,
    flashAttention: [false],
    ...overrides
});

describe("runSweep on a real model", () => {
    it("resolves auto threads with one recorded probe per model, on the worker that runs its tests", async () => {
        const results = await runSweep(quickSpec([tiny.model], {threads: ["auto"], nPrompt: [16, 8], reps: 1}), {gpu: "cpu"});
        expect(results).toHaveLength(2);
        const probe = results[0]!.threadProbe!;
        expect(probe.candidates.map((c) => c.threads)).toEqual(Array.from({length: os.availableParallelism()}, (_, i) => i + 1).length > 1
            ? Array.from({length: os.availableParallelism()}, (_, i) => i + 1) : []);
        for (const candidate of probe.candidates)
            expect(candidate.tgTps).toBeGreaterThan(0);
        for (const result of results) {
            expect(result.status, result.error).toBe("ok");
            expect(result.threadProbe).toEqual(probe);
            expect(result.config.threads).toBe(probe.chosen);
        }
    });

    it("keeps llama.cpp's counters in every row of a long sweep on one worker", async () => {
        // 52 tests on one worker print far more log lines than BenchSession keeps (400): marks that were
        // buffer indexes came back empty from the 6th test on, so rows lost their counters and decode rate.
        const nPrompt = Array.from({length: 52}, (_, i) => 4 + i);
        const results = await runSweep(quickSpec([tiny.model], {nPrompt, nGen: [4], reps: 1}), {gpu: "cpu"});
        expect(results).toHaveLength(52);
        for (const result of results) {
            expect(result.status, result.error).toBe("ok");
            expect(result.notes).toBeUndefined();
            expect(result.samples[0]!.llama).toMatchObject({promptEvalTokens: result.config.nPrompt, evalRuns: 4});
            expect(result.samples[0]!.outsideMs).toBeGreaterThanOrEqual(0);
            expect(result.stats!.tgDecodeTps.n).toBe(1);
            expect(result.stats!.tgDecodeTps.mean).toBeGreaterThanOrEqual(result.stats!.tgTps.mean);
        }
    });

    it("measures exactly the requested tokens, with llama.cpp's own counters, and appends each row", async () => {
        const appended: TestResult[] = [];
        const events: BenchEvent["type"][] = [];
        const results = await runSweep(quickSpec([tiny.model], {threads: [1, 2], nGen: [8]}), {
            gpu: "cpu",
            store: {append: async (result) => void appended.push(result)},
            onEvent: (event) => events.push(event.type)
        });

        expect(results).toHaveLength(2);
        expect(appended.map((r) => r.id)).toEqual(results.map((r) => r.id));
        expect(results.map((r) => r.config.threads)).toEqual([1, 2]);
        for (const result of results) {
            expect(result.status, result.error).toBe("ok");
            expect(result.samples).toHaveLength(2);
            for (const sample of result.samples) {
                expect(sample.promptTokens).toBe(16);
                expect(sample.genTokens).toBe(8);
                expect(sample.ppMs).toBeGreaterThan(0);
                expect(sample.tgMs).toBeGreaterThan(0);
                expect(sample.ttftMs).toBeGreaterThan(sample.ppMs);
                expect(sample.outsideMs).toBeGreaterThanOrEqual(0);
                // llama.cpp's perf counters saw the same work: 16 prompt tokens, 8 single-token decodes
                expect(sample.llama?.promptEvalTokens).toBe(16);
                expect(sample.llama?.evalRuns).toBe(8);
                // cross-check: llama.cpp's decode time fits inside our wall-clock window for each phase
                // (llama.cpp rounds to 0.01 ms)
                expect(sample.llama!.promptEvalMs!).toBeLessThanOrEqual(sample.ppMs + 0.01);
                expect(sample.llama!.evalMs!).toBeLessThanOrEqual(sample.tgMs + 0.01);
                expect(sample.outsideMs).toBeCloseTo(sample.tgMs - sample.llama!.evalMs!, 1);
                // /proc/stat counts in 10 ms ticks: a repetition shorter than a few ticks (this tiny model on a quiet
                // machine) can see none pass, and its load is then unknown (left out), never guessed
                if (process.platform === "linux" && sample.ppMs + sample.tgMs >= 30)
                    expect(sample.backgroundCores).toBeGreaterThanOrEqual(0);
            }
            expect(result.stats?.tgTps.n).toBe(2);
            expect(result.stats?.tgTps.mean).toBeCloseTo(
                result.samples.reduce((sum, s) => sum + s.genTokens / (s.tgMs / 1000), 0) / 2, 6);
            expect(result.load?.ms).toBeGreaterThan(0);
            expect(result.model?.parameters).toBeGreaterThan(0);
            expect(result.env.llamaCppRelease).not.toBe("unknown");
            // which binary and which settings produced the row
            expect(formatBinary(result.env.binary)).toMatch(process.platform === "linux" ? /^prebuilt \(cpu: [\w-]+; threads: \w+\)$/ : /^prebuilt/);
            if (process.platform === "linux")
                expect(result.env.binary).toMatchObject({buildType: "prebuilt", cpuVariant: expect.any(String), threadRuntime: expect.stringMatching(/^(ggml|openmp)$/)});
            expect(result.env.backend).toBe("cpu");
            expect(result.config).toMatchObject({gpuLayers: 0, batchSize: 64, nPrompt: 16, nGen: 8, reps: 2, flashAttention: false});
            expect(result.config.contextSize).toBeGreaterThanOrEqual(16 + 8);
            expect(result.load?.gpuLayers).toBe(0);
        }
        // every exported row says which binary and settings produced it
        const csvRows = parse(csvExporter.serialize(results), {columns: true}) as Array<Record<string, string>>;
        expect(csvRows).toHaveLength(2);
        for (const [i, row] of csvRows.entries()) {
            expect(row.binary).toBe(formatBinary(results[i]!.env.binary));
            expect([row.build_type, row.thread_runtime]).toEqual([results[i]!.env.binary.buildType, results[i]!.env.binary.threadRuntime ?? ""]);
            expect(row.llama_cpp_release).toBe(results[i]!.env.llamaCppRelease);
            expect([row.threads, row.batch, row.flash_attn, row.gpu_layers]).toEqual([String(i + 1), "64", "false", "0"]);
            expect(Number(row.context_size)).toBe(results[i]!.config.contextSize);
        }
        // the second test reused the first one's load (same model and gpuLayers)
        expect(results[1]!.load?.reused).toBe(true);
        expect(events[0]).toBe("plan");
        expect(events.at(-1)).toBe("done");
    });

    it("turns a worker crash into an error row and goes on with the next test", async () => {
        // Kill the child as soon as it starts its first repetition: a stand-in for a native crash.
        let killed = false;
        const crashingSpawner: WorkerSpawner = (request) => {
            const channel = forkSpawner(request);
            channel.onMessage((message) => {
                if (!killed && message.type === "phase" && message.phase === "rep") {
                    killed = true;
                    channel.kill();
                }
            });
            return channel;
        };
        const results = await runSweep(quickSpec([tiny.model], {nPrompt: [16, 32]}), {gpu: "cpu", spawner: crashingSpawner});
        expect(results.map((r) => r.status)).toEqual(["error", "ok"]);
        expect(results[0]!.error).toContain(tiny.model);
        expect(results[0]!.error).toMatch(/crashed \(SIGKILL\)/);
    });

    it("reports SIGBUS when the model file is truncated while mapped", async () => {
        const victim = path.join(tiny.dir, "victim.gguf");
        await copyFile(tiny.model, victim);
        let truncated = false;
        const results = await runSweep(quickSpec([victim], {reps: 50, nGen: [64]}), {
            gpu: "cpu",
            onEvent: (event) => {
                if (!truncated && event.type === "phase" && event.phase === "rep") {
                    truncated = true;
                    void truncate(victim, 4096);
                }
            }
        });
        expect(results).toHaveLength(1);
        expect(results[0]!.status).toBe("error");
        expect(results[0]!.error).toContain(victim);
        expect(results[0]!.error).toMatch(/SIGBUS|truncated/);
    });

    it("cancels within a second and keeps the finished rows", async () => {
        const controller = new AbortController();
        const kept: TestResult[] = [];
        let cancelledAt = 0;
        const results = await runSweep(quickSpec([tiny.model], {nGen: [8, 4000], reps: 20}), {
            gpu: "cpu",
            signal: controller.signal,
            store: {append: async (result) => void kept.push(result)},
            onEvent: (event) => {
                if (event.type === "phase" && event.index === 1 && event.phase === "rep" && cancelledAt === 0) {
                    cancelledAt = Date.now();
                    controller.abort();
                }
            }
        });
        const stoppedAfterMs = Date.now() - cancelledAt;
        expect(cancelledAt).toBeGreaterThan(0);
        expect(stoppedAfterMs).toBeLessThan(6000); // includes the worker's shutdown
        expect(results).toHaveLength(1);
        expect(results[0]!.status).toBe("ok");
        expect(kept).toHaveLength(1);
    });

    it("holds a cancel sent while the real worker starts: no test runs, no row is kept (issue 13, Broken 3)", async () => {
        const controller = new AbortController();
        const kept: TestResult[] = [];
        setTimeout(() => controller.abort(), 20);
        const results = await runSweep(quickSpec([tiny.model], {reps: 1}), {
            gpu: "cpu", signal: controller.signal, store: {append: async (result) => void kept.push(result)}
        });
        expect(results).toEqual([]);
        expect(kept).toEqual([]);
    });

    it("ends each bad input with a one-line error naming the file, and still runs the good test", async () => {
        const {writeBadGgufFixtures} = await import("../fixtures/writeBadGgufFixtures.js");
        const {good, ...bad} = await writeBadGgufFixtures(path.join(tiny.dir, "bad"));
        const missing = path.join(tiny.dir, "no-such-model.gguf");
        const badFiles = [missing, ...Object.values(bad)];
        const started = Date.now();
        const results = await runSweep(quickSpec([...badFiles, good], {reps: 1}), {gpu: "cpu"});
        const elapsed = Date.now() - started;

        expect(results).toHaveLength(badFiles.length + 1);
        const byFile = new Map(results.map((r) => [r.config.modelPath, r]));
        for (const file of badFiles) {
            const row = byFile.get(file)!;
            expect(row.status, file).toBe("error");
            expect(row.error, file).toContain(file);
            expect(row.error!.includes("\n"), file).toBe(false);
            expect(row.error!.length, file).toBeGreaterThan(file.length + 5);
        }
        expect(byFile.get(good)!.status).toBe("ok");
        console.info(results.map((r) => `${r.status}: ${r.error ?? r.config.modelPath}`).join("\n"));
        expect(elapsed / badFiles.length).toBeLessThan(15_000);
    });
});
