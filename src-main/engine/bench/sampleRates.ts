// Each repetition's rates, from its raw times: what the stats, the thread probe and the per-repetition
// columns compute, in one place.
import type {RepSample} from "../types.js";

/** Prompt tokens/s of one repetition. */
export function samplePpTps(s: RepSample): number {
    return s.promptTokens / (s.ppMs / 1000);
}

/** Generated tokens/s of one repetition, end to end (generation wall time). */
export function sampleTgTps(s: RepSample): number {
    return s.genTokens / (s.tgMs / 1000);
}

/** Generated tokens/s of one repetition over llama.cpp's own decode time; NaN where its counters are missing. */
export function sampleDecodeTps(s: RepSample): number {
    return s.outsideMs == null ? Number.NaN : s.genTokens / ((s.tgMs - s.outsideMs) / 1000);
}
