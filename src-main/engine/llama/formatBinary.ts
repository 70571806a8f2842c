import type {BinaryInfo} from "../types.js";

/** One line for the binary column and the CLI: "prebuilt (cpu: sapphirerapids; threads: ggml)". */
export function formatBinary(info: BinaryInfo): string {
    const parts: string[] = info.origin != null ? [info.origin] : [];
    if (info.cpuVariant != null)
        parts.push(`cpu: ${info.cpuVariant}`);
    if (info.threadRuntime != null)
        parts.push(`threads: ${info.threadRuntime}`);
    if (info.cmakeOptions != null)
        parts.push(`cmake: ${info.cmakeOptions}`);
    return parts.length > 0 ? `${info.buildType} (${parts.join("; ")})` : info.buildType;
}

/** The facts back from the text formatBinary wrote (CSV import of rows that predate the structured columns). */
export function parseBinary(text: string): BinaryInfo | null {
    const match = /^([\w-]+)(?: \((.*)\))?$/.exec(text.trim());
    if (match == null)
        return null;
    const parts = new Map<string, string>();
    const rest: string[] = [];
    for (const part of (match[2] ?? "").split("; ").filter(Boolean)) {
        const at = part.indexOf(": ");
        const key = part.slice(0, at);
        if (at > 0 && (key === "cpu" || key === "threads" || key === "cmake"))
            parts.set(key, part.slice(at + 2));
        else
            rest.push(part);
    }
    const runtime = parts.get("threads");
    return {
        buildType: match[1]!,
        cpuVariant: parts.get("cpu") ?? null,
        threadRuntime: runtime === "openmp" || runtime === "ggml" ? runtime : null,
        ...(parts.get("cmake") != null ? {cmakeOptions: parts.get("cmake")!} : {}),
        ...(rest.length > 0 ? {origin: rest.join("; ")} : {})
    };
}
