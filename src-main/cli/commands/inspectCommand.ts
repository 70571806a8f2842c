import type {Command} from "commander";
import {inspectModel} from "../../engine/models/inspectModel.js";
import type {ModelInfo} from "../../engine/types.js";
import {ensureGguf, defaultConvertedDir} from "../../engine/models/ensureGguf.js";
import {ProgressLine, bar, formatBytes} from "../progressLine.js";

export function registerInspectCommand(program: Command) {
    program.command("inspect")
        .description("Show a GGUF model's architecture, size, weight types and bytes per layer")
        .argument("<file>", "GGUF file, or a legacy ggjt v3 (.bin) file, converted to GGUF first as bench does")
        .option("--json", "print JSON")
        .option("--gqa <n>", "ggjt v3 files: the grouped-query attention factor (8 for LLaMA-2 70B; default: read from the file)")
        .action(async (file: string, flags: {json?: boolean, gqa?: string}) => {
            const progress = new ProgressLine();
            const model = await ensureGguf(file, {
                cacheDir: defaultConvertedDir(),
                ...(flags.gqa != null ? {gqa: Number(flags.gqa)} : {}),
                onProgress: (written, total) => progress.update(`Converting ${file} (ggjt v3) to GGUF ${bar(written / total)} ${formatBytes(written)}`)
            });
            if (model.conversion != null)
                progress.log(`${file}: ${model.conversion.cached ? "converted earlier" : `converted in ${(model.conversion.ms / 1000).toFixed(1)} s`} from ${model.conversion.from} to ${model.path}`);
            // Header parsing is bounded (validated first), so inspecting in-process is safe.
            const info = await inspectModel(model.path);
            process.stdout.write(flags.json ? `${JSON.stringify(info, null, 2)}\n` : describe(info));
        });
}

function describe(info: ModelInfo): string {
    const rows: Array<[string, string]> = [
        ["file", info.file],
        ["architecture", info.architecture + (info.synthetic ? " (LlamaMeter synthetic, random weights)" : "")],
        ...(info.convertedFrom != null ? [["converted from", info.convertedFrom] as [string, string]] : []),
        ["name", info.name ?? ""],
        ["parameters", `${(info.parameters / 1e9).toFixed(2)} B (${info.parameters})`],
        ["file size", `${formatBytes(info.fileBytes)} (${info.fileBytes} bytes)`],
        ["weight type", info.weightType + (info.fileType != null ? ` (file type ${info.fileType})` : "")],
        ["layers", String(info.nLayer)],
        ["n_embd / n_ff", `${info.nEmbd} / ${info.nFf}`],
        ["heads / kv heads", `${info.nHead} / ${info.nHeadKv}`],
        ["vocabulary", String(info.vocabSize)],
        ["context length", String(info.contextLength)],
        ["bytes per layer", formatBytes(info.bytesPerLayer)],
        ["token embedding", formatBytes(info.tokenEmbdBytes)],
        ["output head", formatBytes(info.outputBytes)],
        ...Object.entries(info.tensorTypes).map(([kind, types]): [string, string] => [`  ${kind}`, types.join(", ")])
    ];
    const width = Math.max(...rows.map(([key]) => key.length));
    return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n") + "\n";
}
