// The native engine for real: llama.cpp's own llama-bench beside LlamaMeter's runner on a tiny synthetic model.
// Runs where a llama-bench can be found without building one (PATH, or the cached build that
// `npm run bench:native` makes in .cache/); a fresh clone skips it: a build takes 12-25 minutes on 2 cores.
import {describe, expect, it} from "vitest";
import {findLlamaBench} from "../../src-main/engine/native/findLlamaBench.js";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import {useTinyModel} from "../fixtures/useTinyModel.js";

const tiny = useTinyModel("llamameter-native-model-");
const found = await findLlamaBench({build: false}).catch(() => null);

describe.skipIf(found == null)(`both engines on a real model (llama-bench: ${found?.path ?? "none found"})`, () => {
    it("runs each test on node-llama-cpp and on llama-bench with the same settings, and each row names the other's figures", async () => {
        const results = await runSweep({
            models: [tiny.model], gpuLayers: [0], threads: [1], batchSizes: [512], nPrompt: [16], nGen: [8], reps: 2,
            flashAttention: [true], engines: ["llamameter", "llama-bench"]
        }, {gpu: "cpu"});
        expect(results.map((r) => [r.engine, r.status])).toEqual([[undefined, "ok"], ["llama-bench", "ok"]]);
        const [node, native] = results;
        expect(native!.config).toEqual({...node!.config, contextSize: native!.config.contextSize});
        expect(native!.samples).toHaveLength(2);
        for (const sample of native!.samples)
            expect(sample).toMatchObject({promptTokens: 16, genTokens: 8, outsideMs: 0});
        expect(native!.stats!.tgTps.mean).toBeGreaterThan(0);
        expect(native!.env.binary).toMatch(/^llama-bench \(/);
        for (const row of results)
            expect([...row.notes ?? [], row.ceiling?.explanation ?? ""].join("; ")).toMatch(/llama\.cpp's own llama-bench, same settings: decode [\d.]+ t\/s \(node-llama-cpp [\d.]+× of it\)/);
    });
});
