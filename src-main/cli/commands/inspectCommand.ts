import type {Command} from "commander";
import {inspectModel} from "../../engine/models/inspectModel.js";
import type {ModelInfo} from "../../engine/types.js";
import {formatBytes} from "../../engine/formatBytes.js";

export function registerInspectCommand(program: Command) {
    program.command("inspect")
        .description("Show a GGUF model's architecture, size, weight types and bytes per layer")
        .argument("<file>", "GGUF file, or a legacy ggjt v3 (.bin) file (described from its header; bench converts it to GGUF)")
        .option("--json", "print JSON")
        .action(async (file: string, flags: {json?: boolean}) => {
            // Header parsing is bounded (validated first), so inspecting in-process is safe.
            const info = await inspectModel(file);
            process.stdout.write(flags.json ? `${JSON.stringify(info, null, 2)}\n` : describe(info));
        });
}

function describe(info: ModelInfo): string {
    const rows: Array<[string, string]> = [
        ["file", info.file],
        ["architecture", info.architecture + (info.synthetic ? " (LlamaMeter synthetic, random weights)" : "")],
        ...(info.convertedFrom != null ? [["legacy format", `${info.convertedFrom} (bench runs its GGUF conversion)`] as [string, string]] : []),
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
