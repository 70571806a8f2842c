import {performance} from "node:perf_hooks";
import {setTimeout as sleep} from "node:timers/promises";
import type {LlamaContext, LlamaContextSequence, LlamaModel, Token} from "node-llama-cpp";
import type {LlamaKvCacheType, LlamaPerfTimings, LoadRecord, MemoryRecord, RepSample, TestConfig} from "../types.js";
import type {BenchSession} from "./BenchSession.js";
import {parseLlamaTimings} from "./parseLlamaTimings.js";
import {createRandom} from "../createRandom.js";
import {startBackgroundLoad, startStealMeter} from "./backgroundLoad.js";
import {pageCacheState} from "./pageCacheState.js";
import {assertModelFitsInMemory} from "./assertModelFitsInMemory.js";
import {defaultContextSize} from "./expandSweep.js";
import {parseLlamaSystemInfo} from "../hardware/parseLlamaSystemInfo.js";
import {effectiveUbatch} from "./sweepAxisNotes.js";
import type {EnergyMeter} from "./openEnergyMeter.js";

/** Seed of the random prompt and first tokens: the same tokens every run, so runs compare. */
export const promptSeed = 0x11a3a;

export type TestPhase = "load" | "warmup" | "rep";

export interface MeasureTestOptions {
    /** Aborts between tokens; the test then throws an AbortError and keeps nothing. */
    signal?: AbortSignal,
    onPhase?: (phase: TestPhase, rep?: number) => void,
    /** Reads the machine's energy counters around each repetition's prefill and generation (openEnergyMeter). */
    energy?: EnergyMeter
}

/** What one test measured; the caller adds the model, environment, statistics and ceiling. */
export interface TestMeasurement {
    load: LoadRecord,
    contextSize: number,
    samples: RepSample[],
    /** Added by the bench worker around measureTest (measureTestMemory). */
    memory?: MemoryRecord,
    /** Added by the bench worker: what its energy meter read, or why it read nothing. */
    energy?: {source: string | null, note?: string}
}

/**
 * Runs one benchmark test: loads the model (unless the session already holds it with the same
 * gpuLayers and mmap setting), creates a context with exactly the requested threads / batch / micro-batch /
 * context size / flash attention / KV-cache types, runs one warm-up, then `reps` repetitions of: with
 * nDepth tokens already in the KV cache (untimed), prefill nPrompt random tokens (pp, at depth nDepth), then
 * generate exactly nGen tokens one at a time after them (tg, at depth nDepth + nPrompt), as a chat turn would.
 */
export async function measureTest(session: BenchSession, config: TestConfig, options: MeasureTestOptions = {}): Promise<TestMeasurement> {
    const {signal, onPhase, energy} = options;
    signal?.throwIfAborted();

    let load: LoadRecord;
    if (session.isLoaded(config.modelPath, config.gpuLayers, config.useMmap ?? true) && session.currentLoad != null)
        load = {...session.currentLoad, reused: true};
    else {
        onPhase?.("load");
        load = await loadTimed(session, config);
    }

    // n_depth + n_prompt + n_gen, as llama-bench: node-llama-cpp pads the context to a multiple of 256 cells anyway.
    const nDepth = config.nDepth ?? 0;
    const contextSize = defaultContextSize(config);
    const logMark = session.logMark();
    const context = await session.currentModel!.createContext({
        contextSize,
        // Not capped at the context asked for, although llama.cpp caps n_batch at the n_ctx it is given and
        // node-llama-cpp pads that to a multiple of 256 first (so P=64 N=16 batch 512 runs n_batch 256 where
        // llama-bench runs 64 / 80). Capping at P + N + 1 was measured: batch sizes that are not a multiple of
        // 16 (69, 81, 97) made 64-token prompts with flash attention ~40% slower on a 1B model, 1 thread.
        // node-llama-cpp sets n_ubatch = n_batch, so a smaller micro-batch is asked as the batch (effectiveUbatch).
        batchSize: effectiveUbatch(config),
        threads: config.threads,
        flashAttention: config.flashAttention,
        // node-llama-cpp calls these experimental; llama.cpp checks them (a quantized V needs flash attention,
        // which runSweep says before loading) and a refusal is reported below with llama.cpp's reason.
        ...(config.typeK != null ? {experimentalKvCacheKeyType: kvGgmlTypeName(config.typeK)} : {}),
        ...(config.typeV != null ? {experimentalKvCacheValueType: kvGgmlTypeName(config.typeV)} : {}),
        sequences: 1,
        performanceTracking: true
    }).catch((error: unknown) => {
        // node-llama-cpp says only "Failed to create context"; llama.cpp's log says why.
        const reason = session.errorReasonSince(logMark) ?? (error instanceof Error ? error.message : String(error));
        throw new Error(`cannot create the context: ${reason}`);
    });

    try {
        const sequence = context.getSequence();
        const vocabularySize = vocabularySizeOf(session.currentModel!);
        const random = createRandom(promptSeed);
        const randomTokens = (count: number) => Array.from({length: count}, () => Math.floor(random() * vocabularySize) as Token);
        const depthTokens = randomTokens(nDepth);

        onPhase?.("warmup");
        // A few tokens, not one: the first generated tokens also warm node-llama-cpp's JS path (seen here:
        // 8x slower per token in a first repetition after a one-token warm-up on a tiny model).
        await runRepetition(session, context, sequence, depthTokens, randomTokens(config.nPrompt), randomTokens(1)[0]!, Math.min(config.nGen, 8), signal, undefined);

        const samples: RepSample[] = [];
        for (let rep = 0; rep < config.reps; rep++) {
            onPhase?.("rep", rep);
            samples.push(await runRepetition(session, context, sequence, depthTokens, randomTokens(config.nPrompt), randomTokens(1)[0]!, config.nGen, signal, energy));
        }
        return {load, contextSize: context.contextSize, samples};
    } finally {
        await context.dispose();
    }
}

async function loadTimed(session: BenchSession, config: TestConfig): Promise<LoadRecord> {
    const device = session.options.gpuDevice;
    const fileBytes = await assertModelFitsInMemory(config.modelPath, session.options.gpu === "cpu" ? 0 : config.gpuLayers,
        defaultContextSize(config), {
            llama: session.llama, flashAttention: config.flashAttention, batchSize: effectiveUbatch(config),
            ...(config.typeK != null ? {typeK: config.typeK} : {}), ...(config.typeV != null ? {typeV: config.typeV} : {}),
            ...(config.useMmap != null ? {useMmap: config.useMmap} : {}),
            cpuFeatures: parseLlamaSystemInfo(session.llama.systemInfo), gpuKind: device?.kind ?? null,
            ...(device != null ? {deviceName: device.name} : {}),
            ...(session.options.vramBudgetBytes != null ? {vramAvailableBytes: session.options.vramBudgetBytes} : {})
        });
    const cache = await pageCacheState(config.modelPath, fileBytes);

    const logMark = session.logMark();
    const start = performance.now();
    try {
        const model = await session.loadModel(config.modelPath, config.gpuLayers, config.useMmap ?? true);
        const load: LoadRecord = {ms: performance.now() - start, pageCache: cache.state, pageCacheFraction: cache.fraction, gpuLayers: model.gpuLayers};
        session.currentLoad = load;
        return load;
    } catch (error) {
        // node-llama-cpp says only "Failed to load model"; llama.cpp's log says why.
        const reason = session.errorReasonSince(logMark) ?? (error instanceof Error ? error.message : String(error));
        throw new Error(`cannot load model: ${reason}`);
    }
}

/**
 * One repetition: the KV cache holds exactly the depth tokens (filled once, untimed, then kept: each repetition
 * erases only what the one before it added, as llama-bench restores its depth state), then the timed prompt at
 * that depth and the timed generation after it.
 */
async function runRepetition(
    session: BenchSession, context: LlamaContext, sequence: LlamaContextSequence, depth: Token[],
    prompt: Token[], firstToken: Token, nGen: number, signal: AbortSignal | undefined, energy: EnergyMeter | undefined
): Promise<RepSample> {
    if (depth.length > 0 && sequence.nextTokenIndex >= depth.length)
        await sequence.eraseContextTokenRanges([{start: depth.length, end: sequence.nextTokenIndex}]);
    else {
        await sequence.clearHistory();
        if (depth.length > 0)
            await sequence.evaluateWithoutGeneratingNewTokens(depth);
    }
    signal?.throwIfAborted();
    await takeTimings(session, context); // resets llama.cpp's counters so the next read is this repetition's
    const readBackgroundLoad = startBackgroundLoad();
    const readSteal = startStealMeter();

    // Energy marks sit just outside each timed phase (a RAPL mark is one small sysfs read), so the counters cover
    // what was timed and no timing covers a read.
    const ppEnergyStart = energy?.mark();
    const ppStart = performance.now();
    if (prompt.length > 0)
        await sequence.evaluateWithoutGeneratingNewTokens(prompt);
    const ppMs = performance.now() - ppStart;
    const ppEnergyEnd = energy?.mark();
    const ppTimings = await takeTimings(session, context);
    signal?.throwIfAborted();

    // Each token's time goes into a buffer allocated before the loop: per token the loop adds one clock read
    // and one store, no allocation (nothing for the garbage collector to stop generation for). Measured on the
    // 2-core VM: 0.22 us a token (a million records), where a token takes 1-40 ms.
    const tokenMs = new Float64Array(nGen);
    let genTokens = 0;
    const tgEnergyStart = energy?.mark();
    const tgStart = performance.now();
    let lastTokenAt = tgStart;
    if (nGen > 0) {
        // temperature 0 and yieldEogToken: exactly nGen tokens, even when an end-of-sequence token is picked.
        for await (const token of sequence.evaluate([firstToken], {temperature: 0, yieldEogToken: true})) {
            void token;
            const now = performance.now();
            tokenMs[genTokens] = now - lastTokenAt;
            lastTokenAt = now;
            genTokens++;
            if (genTokens >= nGen || signal?.aborted)
                break;
        }
    }
    const tgMs = performance.now() - tgStart;
    const tgEnergyEnd = energy?.mark();
    const backgroundCores = readBackgroundLoad();
    const stealCores = readSteal();
    const tgTimings = await takeTimings(session, context);
    signal?.throwIfAborted();
    // A power sampler's reading after the phase's end arrives later: asked for after the timed part.
    const ppEnergyJ = energy != null ? await energy.joulesBetween(ppEnergyStart!, ppEnergyEnd!) : null;
    const tgEnergyJ = energy != null ? await energy.joulesBetween(tgEnergyStart!, tgEnergyEnd!) : null;

    // Decode time is llama.cpp's own eval time; the rest of the wall time is spent outside llama.cpp (sampling,
    // the binding, JavaScript). Without the counters neither is known: leave it out rather than record 0.
    const decodeMs = tgTimings.evalMs == null ? null : tgTimings.evalMs + (tgTimings.promptEvalMs ?? 0);
    const llama: LlamaPerfTimings = {
        promptEvalMs: ppTimings.promptEvalMs,
        promptEvalTokens: ppTimings.promptEvalTokens,
        evalMs: tgTimings.evalMs,
        evalRuns: tgTimings.evalRuns
    };
    return {
        promptTokens: prompt.length,
        ppMs,
        ttftMs: ppMs + (genTokens > 0 ? tokenMs[0]! : 0),
        genTokens,
        tgMs,
        ...(genTokens > 0 && decodeMs != null && decodeMs > 0 ? {outsideMs: Math.max(0, tgMs - decodeMs)} : {}),
        llama,
        ...(backgroundCores != null ? {backgroundCores} : {}),
        ...(stealCores != null ? {stealCores} : {}),
        // to the microsecond: the clock's useful resolution here, and a third of the digits in the history
        ...(genTokens > 0 ? {tokenMs: Array.from(tokenMs.subarray(0, genTokens), (ms) => Math.round(ms * 1000) / 1000)} : {}),
        ...(ppEnergyJ != null ? {ppEnergyJ} : {}),
        ...(tgEnergyJ != null ? {tgEnergyJ} : {})
    };
}

/** Prints llama.cpp's perf counters (which also resets them) and parses what it printed. */
async function takeTimings(session: BenchSession, context: LlamaContext): Promise<LlamaPerfTimings> {
    const mark = session.logMark();
    await context.printTimings();
    // The lines reach the logger through a thread-safe callback, later than printTimings resolves (on a
    // busy machine, several ms later). Wait for the block's last line: reading early would hand this
    // block's lines to the next read and attribute the prompt's decode time to generation.
    const deadline = performance.now() + 2000;
    let lines = session.logSince(mark);
    while (!lines.some((line) => /total time/.test(line)) && performance.now() < deadline) {
        await sleep(1);
        lines = session.logSince(mark);
    }
    return parseLlamaTimings(lines.join("\n"));
}

/** node-llama-cpp's name for a KV-cache type (its GgmlType keys). */
function kvGgmlTypeName(type: LlamaKvCacheType): Uppercase<LlamaKvCacheType> {
    return type.toUpperCase() as Uppercase<LlamaKvCacheType>;
}

/** The vocabulary size, from the token-embedding tensor's shape (every LLaMA file has one). */
export function vocabularySizeOf(model: LlamaModel): number {
    const embedding = model.fileInfo.fullTensorInfo?.find((tensor) => tensor.name === "token_embd.weight");
    return Number(embedding?.dimensions[1] ?? 256);
}
