// Local llama.cpp builds (made by `node-llama-cpp source download`), in one file because the tests make and
// remove one. With a local build beside the prebuilt binaries (a copy of them, when the machine has no real
// one), "prebuilt" must mean prebuilt everywhere in a benchmark process: node-llama-cpp on its own loads a
// local build whenever one exists, and a second build loaded into the bench worker takes over llama.cpp's
// logging, so the perf counters never arrive.
import {existsSync} from "node:fs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {BenchSession} from "../../src-main/engine/bench/BenchSession.js";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import {localBuilds, makeLocalBuildFromPrebuilt} from "../fixtures/localBuildFromPrebuilt.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-localbuild-");

describe("local llama.cpp builds", () => {
    it.skipIf(existsSync(localBuilds))("asking for a local build where none exists says how to make one, in one line", async () => {
        const error = await BenchSession.create({gpu: "cpu", binary: "local"}).then(() => null, (error: unknown) => error);
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(/^no local llama\.cpp build found: make one with `npx --no node-llama-cpp source download --gpu false`/);
        expect((error as Error).message).not.toContain("\n");
    });
});

describe.runIf(process.platform === "linux" && process.arch === "x64")("with a local build present", () => {
    let removeLocalBuild: (() => Promise<void>) | null = null;
    beforeAll(async () => {
        removeLocalBuild = existsSync(localBuilds) ? null : await makeLocalBuildFromPrebuilt();
    });
    afterAll(async () => {
        await removeLocalBuild?.();
    });

    it("loads the prebuilt binary when asked", async () => {
        const session = await BenchSession.create({gpu: "cpu", binary: "prebuilt"});
        try {
            expect(session.llama.buildType).toBe("prebuilt");
            expect((await session.environment()).binary).toMatchObject({buildType: "prebuilt", cpuVariant: expect.any(String), threadRuntime: "ggml"});
        } finally {
            await session.dispose();
        }
    });

    it("a sweep on the prebuilt binary still gets llama.cpp's own counters", async () => {
        const [result] = await runSweep({
            models: [tiny.model], gpuLayers: [0], threads: [1], batchSizes: [64], nPrompt: [16], nGen: [8], reps: 1, flashAttention: [false]
        }, {gpu: "cpu", binary: "prebuilt"});
        expect(result?.status, result?.error).toBe("ok");
        expect(result!.env.binary.buildType).toBe("prebuilt");
        expect(result!.samples[0]!.llama).toMatchObject({promptEvalTokens: 16, evalRuns: 8});
    });
});
