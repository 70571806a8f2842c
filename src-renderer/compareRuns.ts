// Two runs side by side, across machines: rows matched by model and test shape (the model's size and weight
// type, prompt and generated tokens), not by every setting, since two machines seldom share a thread count.
// Each side shows its fastest row for that test, with its machine's bandwidth, ceiling and efficiency.
import type {TestResult} from "../src-main/api/contract.js";
import {baseName, formatParams} from "./format.js";

export interface ComparisonLine {
    /** The shared test in words, e.g. "1.10 B Q4_0 (tiny.gguf) · p 16 · n 8". */
    config: string,
    /** Each run's fastest row for this test (generation rate), or its only row when none finished. */
    a: TestResult | null,
    b: TestResult | null,
    /** b's generation tokens/s over a's, when both measured it. */
    tgRatio: number | null,
    /** b's ceiling over a's (the bandwidth ratio, for one model), when both had one. */
    ceilingRatio: number | null
}

/** What a model is, for matching: its size and weight type when inspected, else its file name. */
function modelKey(row: TestResult): string {
    const model = row.model;
    return model != null && model.parameters > 0 ? `${formatParams(model.parameters)} ${model.weightType}` : baseName(row.config.modelPath);
}

export function configKey(row: TestResult): string {
    const config = row.config;
    const kv = (config.typeK ?? "f16") !== "f16" || (config.typeV ?? "f16") !== "f16" ? [`KV ${config.typeK ?? "f16"}/${config.typeV ?? "f16"}`] : [];
    return [modelKey(row), `p ${config.nPrompt}`, `n ${config.nGen}`, ...(config.nDepth != null && config.nDepth > 0 ? [`d ${config.nDepth}`] : []),
        ...kv, ...(config.flashAttention ? ["flash attention"] : [])].join(" · ");
}

const tg = (row: TestResult | null) => row?.status === "ok" && row.stats != null && row.stats.tgTps.n > 0 && Number.isFinite(row.stats.tgTps.mean)
    ? row.stats.tgTps.mean : null;
export const ceilingOf = (row: TestResult | null) => row?.ceiling?.ceilingTps ?? row?.ceiling?.ceilingTpsTheoretical ?? null;

export function compareRuns(a: readonly TestResult[], b: readonly TestResult[]): ComparisonLine[] {
    const lines = new Map<string, ComparisonLine & {files: Set<string>}>();
    const pick = (side: "a" | "b", row: TestResult) => {
        const key = configKey(row);
        let line = lines.get(key);
        if (line == null) {
            line = {config: key, a: null, b: null, tgRatio: null, ceilingRatio: null, files: new Set()};
            lines.set(key, line);
        }
        line.files.add(row.model?.fileName ?? baseName(row.config.modelPath));
        const before = line[side];
        if (before == null || (tg(row) ?? -1) > (tg(before) ?? -1)) line[side] = row;
    };
    for (const row of a) pick("a", row);
    for (const row of b) pick("b", row);
    return [...lines.values()].map(({files, ...line}) => {
        const tgA = tg(line.a);
        const tgB = tg(line.b);
        const ceilingA = ceilingOf(line.a);
        const ceilingB = ceilingOf(line.b);
        const [model, ...rest] = line.config.split(" · ");
        return {
            ...line,
            config: [`${model} (${[...files].join(" / ")})`, ...rest].join(" · "),
            tgRatio: tgA != null && tgB != null && tgA > 0 ? tgB / tgA : null,
            ceilingRatio: ceilingA != null && ceilingB != null && ceilingA > 0 ? ceilingB / ceilingA : null
        };
    });
}
