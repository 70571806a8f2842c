// The plainest node-llama-cpp loop that measures what LlamaMeter's measureTest measures (same context size,
// batch, threads, flash attention, warm-up, then per repetition: pp of P random tokens, tg of N tokens
// one at a time), with none of LlamaMeter's runner around it: no worker process, IPC, watchdog, perf
// counters or log capture. `npm run bench:native -- --with-plain` runs it as a third side, in a fresh
// process like the runner's worker, so a gap to native splits into the binding's share and the runner's.
//
//   npx tsx scripts/native/timeNodeLlamaCpp.ts --model FILE [-t 2] [--fa 0|1] [-p 64] [-n 32] [-r 3] [-b 512]
//                                             [--binary prebuilt|local]
// prints one JSON line: {"ppTps": [...], "tgTps": [...], "backgroundCores": n | null}
import path from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {getLlama, LlamaLogLevel, type Token} from "node-llama-cpp";
import {createRandom} from "../../src-main/engine/createRandom.js";
import {startBackgroundLoad} from "../../src-main/engine/bench/backgroundLoad.js";
import {llamaBinaryOptions, type BinaryChoice} from "../../src-main/engine/llama/llamaBinaryOptions.js";
import {promptSeed, vocabularySizeOf} from "../../src-main/engine/bench/measureTest.js";

export interface TimeNodeLlamaCppOptions {
    modelPath: string,
    threads: number,
    flashAttention: boolean,
    nPrompt: number,
    nGen: number,
    reps: number,
    batch: number,
    binary: BinaryChoice
}

export interface NodeLlamaCppTimes {
    ppTps: number[],
    tgTps: number[],
    /** The most cores other processes used during one repetition (null without /proc). */
    backgroundCores: number | null
}

export async function timeNodeLlamaCpp(options: TimeNodeLlamaCppOptions): Promise<NodeLlamaCppTimes> {
    const llama = await getLlama({
        gpu: false, build: "never", ...llamaBinaryOptions(options.binary),
        maxThreads: 0, logLevel: LlamaLogLevel.error, progressLogs: false
    });
    const model = await llama.loadModel({modelPath: options.modelPath});
    const context = await model.createContext({
        contextSize: options.nPrompt + options.nGen + 1, batchSize: options.batch, threads: options.threads,
        flashAttention: options.flashAttention, sequences: 1
    });
    const sequence = context.getSequence();
    const vocabularySize = vocabularySizeOf(model);
    const random = createRandom(promptSeed);
    const tokens = (count: number) => Array.from({length: count}, () => Math.floor(random() * vocabularySize) as Token);

    const repetition = async (nGen: number) => {
        await sequence.clearHistory();
        const readBackgroundLoad = startBackgroundLoad();
        const ppStart = performance.now();
        await sequence.evaluateWithoutGeneratingNewTokens(tokens(options.nPrompt));
        const ppMs = performance.now() - ppStart;
        let generated = 0;
        const tgStart = performance.now();
        for await (const token of sequence.evaluate(tokens(1), {temperature: 0, yieldEogToken: true})) {
            void token;
            if (++generated >= nGen)
                break;
        }
        const tg = generated / ((performance.now() - tgStart) / 1000);
        return {pp: options.nPrompt / (ppMs / 1000), tg, background: readBackgroundLoad()};
    };

    // The runner's warm-up: a full prompt and a few generated tokens.
    await repetition(Math.min(options.nGen, 8));
    const ppTps: number[] = [];
    const tgTps: number[] = [];
    let backgroundCores: number | null = null;
    for (let rep = 0; rep < options.reps; rep++) {
        const {pp, tg, background} = await repetition(options.nGen);
        ppTps.push(pp);
        tgTps.push(tg);
        if (background != null)
            backgroundCores = Math.max(backgroundCores ?? 0, background);
    }
    await context.dispose();
    await model.dispose();
    await llama.dispose();
    return {ppTps, tgTps, backgroundCores};
}

if (process.argv[1] != null && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const {values} = parseArgs({
        options: {
            model: {type: "string", short: "m"},
            threads: {type: "string", short: "t", default: "2"},
            fa: {type: "string", default: "0"},
            "n-prompt": {type: "string", short: "p", default: "64"},
            "n-gen": {type: "string", short: "n", default: "32"},
            reps: {type: "string", short: "r", default: "3"},
            batch: {type: "string", short: "b", default: "512"},
            binary: {type: "string", default: "prebuilt"}
        }
    });
    if (values.model == null)
        throw new Error("--model FILE is required");
    const result = await timeNodeLlamaCpp({
        modelPath: values.model, threads: Number(values.threads), flashAttention: values.fa === "1",
        nPrompt: Number(values["n-prompt"]), nGen: Number(values["n-gen"]), reps: Number(values.reps),
        batch: Number(values.batch), binary: values.binary === "local" ? "local" : "prebuilt"
    });
    console.log(JSON.stringify(result));
}
