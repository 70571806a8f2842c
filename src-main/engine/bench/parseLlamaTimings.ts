import type {LlamaPerfTimings} from "../types.js";

// llama.cpp has no numeric API for its perf counters; it prints them (llama_perf_context_print, and
// llama_print_timings in older builds). These are the lines we read, e.g.
//   llama_perf_context_print: prompt eval time =  123.45 ms /    64 tokens (...)
//   llama_perf_context_print:        eval time =  456.78 ms /    31 runs   (...)
//   llama_print_timings:      sample time =  325.76 ms /   129 runs   (...)
const timingLine = /(load|prompt eval|eval|sample|total|predict) time\s*=\s*([\d.]+)\s*ms(?:\s*\/\s*(\d+)\s*(tokens|runs))?/;

/** Parses llama.cpp's printed timing lines (any number of lines, any prefix) into numbers. */
export function parseLlamaTimings(text: string): LlamaPerfTimings {
    const timings: LlamaPerfTimings = {};
    for (const line of text.split("\n")) {
        const match = timingLine.exec(line);
        if (match == null)
            continue;

        const [, phase, msText, countText] = match;
        const ms = Number(msText);
        const count = countText == null ? undefined : Number(countText);
        switch (phase) {
            case "load": timings.loadMs = ms; break;
            case "prompt eval": timings.promptEvalMs = ms; timings.promptEvalTokens = count; break;
            // "predict" is the 2023 name of the same phase
            case "eval": case "predict": timings.evalMs = ms; timings.evalRuns = count; break;
            case "sample": timings.sampleMs = ms; timings.sampleRuns = count; break;
            case "total": timings.totalMs = ms; break;
        }
    }
    return timings;
}
