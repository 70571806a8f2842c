// Issue 13, Broken 3: a cancel answered {cancelled: true} must hold, even when it arrives while the
// bench worker is still starting. The parent side (BenchWorkerClient, runSweep, the handlers) is the
// real code; the worker is the real WorkerTestQueue in this process, with a timed stand-in for
// llama.cpp, so the race can run 20 times in a second instead of 20 real worker starts.
import {describe, expect, it} from "vitest";
import fs from "node:fs/promises";
import path from "node:path";
import {createHandlers} from "../../src-main/api/createHandlers.js";
import type {ApiEvent, SweepSpec} from "../../src-main/api/contract.js";
import {WorkerTestQueue} from "../../src-main/engine/bench/WorkerTestQueue.js";
import type {FromWorker} from "../../src-main/engine/bench/workerProtocol.js";
import {inProcessSpawner, timedTest} from "../fixtures/inProcessWorkerSpawner.js";
import {ResultsStore} from "../../src-main/engine/store/resultsStore.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-cancel-race-");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const spec = (model: string): SweepSpec => ({
    models: [model], gpuLayers: [0], threads: [1, 2], batchSizes: [64], nPrompt: [8], nGen: [4], reps: 1, flashAttention: [false]
});

async function raceOnce(resultsFile: string, startupMs: number, cancelAfterMs: number): Promise<{cancelledAt: number}> {
    const events: ApiEvent[] = [];
    const handlers = createHandlers({
        modelsDirs: [tiny.dir], discoverDefaultDirs: false, resultsFile, emit: (event) => events.push(event),
        spawner: inProcessSpawner(startupMs, 30),
        engine: {getHardwareProfile: async () => { throw new Error("no hardware in this test"); }}
    });
    const {runId} = await handlers.startBench(spec(tiny.model));
    await sleep(cancelAfterMs);
    const answer = await handlers.cancelBench({runId});
    const cancelledAt = Date.now();
    expect(answer).toEqual({cancelled: true});
    const started = Date.now();
    while (!events.some((e) => e.channel === "bench" && e.runId === runId && e.event.type === "done")) {
        if (Date.now() - started > 5000)
            throw new Error("the run did not end after its cancel");
        await sleep(5);
    }
    return {cancelledAt};
}

describe("a cancel during bench worker start-up (run 20 times)", () => {
    it("holds: no test runs, nothing is stored as ok", async () => {
        const resultsFile = path.join(tiny.dir, "results-startup.jsonl");
        for (let i = 0; i < 20; i++) {
            // startBench answered, then the cancel 10-25 ms later, as in the audit; the worker takes 40 ms to start.
            await raceOnce(resultsFile, 40, 10 + (i % 16));
        }
        const rows = await new ResultsStore(resultsFile).readAll();
        expect(rows.filter((row) => row.status === "ok")).toEqual([]);
        await fs.rm(resultsFile, {force: true});
    });

    it("holds at any moment: no row that finished after the cancel is stored as ok", async () => {
        const resultsFile = path.join(tiny.dir, "results-anytime.jsonl");
        for (let i = 0; i < 20; i++) {
            const before = (await new ResultsStore(resultsFile).readAll()).length;
            // start-up 5 ms, tests of 30 ms: the cancel lands in start-up, in a test, or between two.
            const {cancelledAt} = await raceOnce(resultsFile, 5, 2 * i + 1);
            const rows = (await new ResultsStore(resultsFile).readAll()).slice(before);
            for (const row of rows)
                expect(row.status === "ok" && Date.parse(row.timestamp) > cancelledAt, `${row.id} ${row.timestamp}`).toBe(false);
        }
        await fs.rm(resultsFile, {force: true});
    });
});

describe("WorkerTestQueue", () => {
    function queueWith(testMs: number) {
        const sent: FromWorker[] = [];
        const queue = new WorkerTestQueue({send: (m) => sent.push(m), run: (_id, _c, signal) => timedTest(testMs, signal), shutdown: async () => {}});
        return {sent, queue};
    }
    const config = {modelPath: "/m.gguf", gpuLayers: 0, threads: 1, batchSize: 64, nPrompt: 8, nGen: 4, reps: 1, flashAttention: false};

    it("keeps a cancel that arrives before its run message, and only for that test", async () => {
        const {sent, queue} = queueWith(10);
        queue.handle({type: "cancel", id: 0});
        queue.handle({type: "run", id: 0, config});
        queue.handle({type: "run", id: 1, config});
        await sleep(100);
        expect(sent.map((m) => [m.type, "id" in m ? m.id : null])).toEqual([["failed", 0], ["result", 1]]);
        expect(sent[0]).toMatchObject({cancelled: true});
    });

    it("stops a running test, and answers cancelled for one that finished as the cancel came", async () => {
        const {sent, queue} = queueWith(50);
        queue.handle({type: "run", id: 3, config});
        await sleep(15);
        queue.handle({type: "cancel", id: 3});
        await sleep(80);
        expect(sent).toEqual([{type: "failed", id: 3, error: "aborted", cancelled: true}]);
    });
});
