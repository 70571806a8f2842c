// A test on llama.cpp's own llama-bench as a row of the same columns, and each engine's figures in the other's row.
import type {HardwareProfile, ModelInfo, TestConfig, TestResult, ThreadProbe} from "../types.js";
import {runLlamaBenchTest} from "./runLlamaBench.js";
import {BUILT_FROM_SOURCE, type FoundLlamaBench} from "./findLlamaBench.js";
import {sweepAxisNotes} from "../bench/sweepAxisNotes.js";
import {errorLine, onThisMachine, rowModel, statsOf, unknownEnvironment, type AnnotateRow} from "../bench/resultRow.js";
import type {GgufModelFile} from "../models/ensureGguf.js";

/** One test on llama.cpp's own llama-bench: a row of the same columns, or an error row saying why not. */
export async function nativeResultRow({runId, index, config, llamaBench, ggufPath, signal, threadProbe, model, conversion, hardware, annotate, kernelsFrom}: {
    runId: string, index: number, config: TestConfig, llamaBench: Promise<FoundLlamaBench>, ggufPath: string,
    /** The node row's CPU kernel library (BinaryInfo.cpuLibrary): a llama-bench built from node-llama-cpp's source runs over it. */
    kernelsFrom?: string | null,
    signal?: AbortSignal, threadProbe: ThreadProbe | null, model?: ModelInfo, conversion?: GgufModelFile["conversion"],
    hardware?: HardwareProfile, annotate?: AnnotateRow
}): Promise<TestResult> {
    const base = {
        id: `${runId}:${index}:native`, runId, timestamp: new Date().toISOString(), engine: "llama-bench" as const, config,
        ...(threadProbe != null ? {threadProbe} : {}),
        ...(model != null ? {model: rowModel(model, conversion)} : {})
    };
    try {
        const found = await llamaBench;
        const run = await runLlamaBenchTest(found.path, config, {
            modelPath: ggufPath, origin: found.origin, signal,
            // only a build of the same llama.cpp commit fits node-llama-cpp's libraries
            ...(kernelsFrom != null && found.origin === BUILT_FROM_SOURCE ? {kernelsFrom} : {})
        });
        const notes = sweepAxisNotes(config, "llama-bench");
        const result: TestResult = {...base, status: "ok", samples: run.samples, stats: statsOf(run.samples), env: onThisMachine(run.env, hardware),
            ...(notes.length > 0 ? {notes} : {})};
        return annotate != null && hardware != null && model != null ? annotate(result, model, hardware) : result;
    } catch (error) {
        const cancelled = signal?.aborted ?? false;
        return {
            ...base, status: cancelled ? "cancelled" : "error", samples: [], env: {...unknownEnvironment, binary: {...unknownEnvironment.binary, buildType: "llama-bench"}},
            error: cancelled ? "cancelled" : errorLine(config.modelPath, `native engine: ${(error as Error).message}`)
        };
    }
}

/** Puts each engine's figure in the other's row, in words: where node-llama-cpp falls short, the row says by how much. */
export function compareEngines(node: TestResult, native: TestResult) {
    if (node.status !== "ok" || native.status !== "ok" || node.stats == null || native.stats == null)
        return;
    const parts: string[] = [];
    const decode = node.stats.tgDecodeTps.n > 0 ? node.stats.tgDecodeTps.mean : NaN;
    if (native.stats.tgTps.n > 0 && Number.isFinite(decode))
        parts.push(`decode ${native.stats.tgTps.mean.toFixed(1)} t/s (node-llama-cpp ${(decode / native.stats.tgTps.mean).toFixed(2)}× of it)`);
    if (native.stats.ppTps.n > 0 && node.stats.ppTps.n > 0)
        parts.push(`pp ${native.stats.ppTps.mean.toFixed(1)} t/s (node-llama-cpp ${(node.stats.ppTps.mean / native.stats.ppTps.mean).toFixed(2)}× of it)`);
    if (parts.length === 0)
        return;
    const line = `llama.cpp's own llama-bench, same settings: ${parts.join(", ")}`;
    for (const row of [node, native]) {
        if (row.ceiling?.explanation != null)
            row.ceiling.explanation = `${row.ceiling.explanation}; ${line}`;
        else
            row.notes = [...row.notes ?? [], line];
    }
}

