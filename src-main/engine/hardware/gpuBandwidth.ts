// Finds a detected or typed GPU name in the spec table: "NVIDIA GeForce RTX 3090" -> the RTX 3090 row,
// "RTX 3090 Ti" -> the 3090 Ti row, never the other way round. Names are compared as token sequences
// (letters and digits split: "RTX3090" = "rtx 3090"); the longest matching row name wins, and a row does
// not match when the name goes on with a variant word (Ti, Super, XT, Laptop, Max...) the row lacks, so
// an unknown variant gives no answer rather than a sibling's figures.
import {GPU_TABLE, type GpuSpec} from "./gpuTable.js";

/** Words that make a different product when they follow a model number. */
const VARIANT_WORDS = new Set([
    "ti", "super", "xt", "xtx", "gre", "laptop", "mobile", "notebook", "max", "q", "pro", "ultra", "s", "x", "ada", "m"
]);

/** How far detected (or named) VRAM may sit from a configuration's marketed size and still be that configuration:
 *  the driver's reserved memory, and ECC on GDDR memory, which takes 1/16 of it (6.25%). */
const VRAM_TOLERANCE = 0.15;

/** Lower-case tokens; letters and digits split apart; brand words kept (they never hurt a match). */
function tokens(text: string): string[] {
    return text
        .toLowerCase()
        .replace(/\((?:r|tm)\)|[®™]/g, " ")
        .replace(/([a-z])(\d)/g, "$1 $2")
        .replace(/(\d)([a-z])/g, "$1 $2")
        .split(/[^a-z0-9]+/)
        .filter((token) => token !== "");
}

/** Where `needle` occurs in `hay` as a contiguous run, with no variant word right after it; -1 if nowhere. */
function matchAt(hay: string[], needle: string[]): number {
    outer:
    for (let start = 0; start + needle.length <= hay.length; start++) {
        for (let i = 0; i < needle.length; i++) {
            if (hay[start + i] !== needle[i])
                continue outer;
        }
        const next = hay[start + needle.length];
        if (next != null && VARIANT_WORDS.has(next))
            continue;
        return start;
    }
    return -1;
}

/** A memory size written in the name, e.g. "A100-SXM4-80GB" -> 80. */
function vramHintGB(nameTokens: string[]): number | null {
    for (let i = 0; i + 1 < nameTokens.length; i++) {
        if (nameTokens[i + 1] === "gb" && /^\d+$/.test(nameTokens[i]!))
            return Number(nameTokens[i]);
    }
    return null;
}

/** The table row for a GPU name, or null when no row matches. When one product name has several memory
 *  sizes, `vramBytes` (detected) or a size in the name ("12GB") picks the row; else the first row. */
export function lookupGpu(name: string, vramBytes?: number | null): GpuSpec | null {
    const nameTokens = tokens(name);
    if (nameTokens.length === 0)
        return null;

    let bestLength = 0;
    let bestName: string | null = null;
    for (const spec of GPU_TABLE) {
        for (const candidate of [spec.name, ...(spec.aliases ?? [])]) {
            const candidateTokens = tokens(candidate);
            if (candidateTokens.length > bestLength && matchAt(nameTokens, candidateTokens) >= 0) {
                bestLength = candidateTokens.length;
                bestName = spec.name;
            }
        }
    }
    if (bestName == null)
        return null;

    const variants = GPU_TABLE.filter((spec) => spec.name === bestName);
    // GPU memory is sold in binary gigabytes (a 24 GB card has 24 GiB).
    const wantedGB = vramBytes != null && vramBytes > 0 ? vramBytes / 1024 ** 3 : vramHintGB(nameTokens);
    if (wantedGB == null || variants.length === 1)
        return variants[0] ?? null;
    // Detected VRAM can be a little under the marketed size (reserved memory, ECC): take the closest, but a size
    // none of the configurations comes near ("RTX 3080 20GB", never sold) is an unknown variant, not a sibling.
    const closest = variants.reduce((best, spec) => (Math.abs(spec.vramGB - wantedGB) < Math.abs(best.vramGB - wantedGB) ? spec : best));
    return Math.abs(closest.vramGB - wantedGB) <= VRAM_TOLERANCE * closest.vramGB ? closest : null;
}

/** Spec-sheet memory bandwidth (GB/s) of a named GPU, or null when the table does not know it. */
export function gpuBandwidthGBs(name: string, vramBytes?: number | null): number | null {
    return lookupGpu(name, vramBytes)?.bandwidthGBs ?? null;
}
