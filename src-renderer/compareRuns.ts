// Two runs side by side: rows matched by configuration, so the same test on two machines (or two days)
// lines up on one line.
import type {TestResult} from "../src-main/api/contract.js";
import {baseName} from "./format.js";

export interface ComparisonLine {
    /** The shared configuration in words, e.g. "tiny.gguf · 2 threads · 0 GPU layers · p 16 · n 8". */
    config: string,
    a: TestResult | null,
    b: TestResult | null,
    /** b's generation tokens/s over a's, when both measured it. */
    tgRatio: number | null
}

export function configKey(row: TestResult): string {
    const config = row.config;
    return [
        row.model?.fileName ?? baseName(config.modelPath),
        `${config.threads} threads`,
        `${config.gpuLayers} GPU layers`,
        `batch ${config.batchSize}`,
        `p ${config.nPrompt}`,
        `n ${config.nGen}`,
        config.flashAttention ? "flash attention" : "no flash attention"
    ].join(" · ");
}

export function compareRuns(a: readonly TestResult[], b: readonly TestResult[]): ComparisonLine[] {
    const lines = new Map<string, ComparisonLine>();
    const line = (key: string) => {
        let found = lines.get(key);
        if (found == null) {
            found = {config: key, a: null, b: null, tgRatio: null};
            lines.set(key, found);
        }
        return found;
    };
    for (const row of a) line(configKey(row)).a = row;
    for (const row of b) line(configKey(row)).b = row;
    for (const found of lines.values()) {
        const tgA = found.a?.status === "ok" ? found.a.stats?.tgTps.mean : undefined;
        const tgB = found.b?.status === "ok" ? found.b.stats?.tgTps.mean : undefined;
        found.tgRatio = tgA != null && tgB != null && tgA > 0 ? tgB / tgA : null;
    }
    return [...lines.values()];
}
