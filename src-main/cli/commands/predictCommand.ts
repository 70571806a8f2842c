// `llamameter predict`: what-if for a model shape + type (or a GGUF file) on this machine or a described
// one: size, RAM / VRAM needed, the best GPU split, and the bandwidth ceiling on generation speed.
import {Option, type Command} from "commander";
import {getHardwareProfile} from "../../engine/hardware/detectHardware.js";
import {predict} from "../../engine/ceiling/predict.js";
import {SHAPE_NAMES} from "../../engine/models/shapePresets.js";
import {WEIGHT_TYPES, type PredictRequest, type PredictResult} from "../../engine/types.js";

interface PredictFlags {
    shape?: string,
    type: string,
    ram?: string,
    gpu?: string,
    context?: number,
    model?: string,
    json?: boolean,
    measure?: boolean
}

export function registerPredictCommand(program: Command) {
    program.command("predict")
        .description("Predict size, memory needs, GPU split and the bandwidth ceiling for a model shape + type or a GGUF file, here or on a described machine")
        .option("--shape <name>", `model shape: ${SHAPE_NAMES.join(", ")}`)
        .addOption(new Option("--type <type>", "weight type").choices(WEIGHT_TYPES).default("q4_0"))
        .option("-m, --model <file>", "a GGUF file instead of a shape")
        .option("--ram <spec>", "described RAM instead of this machine's: DDR5-5600x2, \"DDR4-3600, 2 channels\", or \"115 GB/s\"")
        .option("--gpu <name>", "described GPU instead of this machine's, e.g. \"RTX 4090\"")
        .option("--context <tokens>", "context size (default: the model's, at most 4096)", parsePositiveInt)
        .option("--no-measure", "do not measure this machine's memory bandwidth (use its theoretical figure, if known)")
        .option("--json", "print JSON")
        .action(async (flags: PredictFlags) => {
            if (flags.shape == null && flags.model == null)
                throw new Error("predict needs --shape <name> or -m <file>");
            const request: PredictRequest = {
                ...(flags.model != null ? {modelPath: flags.model} : {shape: flags.shape, type: flags.type}),
                ...(flags.ram != null ? {ram: flags.ram} : {}),
                ...(flags.gpu != null ? {gpu: flags.gpu} : {}),
                ...(flags.context != null ? {contextSize: flags.context} : {})
            };
            // A described RAM replaces the measured figure, so measuring would only cost time.
            const measure = flags.measure !== false && flags.ram == null;
            if (measure && !flags.json)
                process.stderr.write("Detecting hardware and measuring memory bandwidth…\n");
            const hardware = await getHardwareProfile({bandwidth: measure ? "measure" : "skip"});
            const result = await predict(request, hardware);
            process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatPrediction(result));
        });
}

function parsePositiveInt(text: string): number {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 16)
        throw new Error(`expected a whole number of tokens (>= 16), got "${text}"`);
    return value;
}

/** The prediction's figures as a short table, then its explanation. */
export function formatPrediction(result: PredictResult): string {
    const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;
    const rows: Array<[string, string]> = [
        ["model size", gb(result.modelBytes)],
        ["RAM needed", gb(result.ramBytes)],
        ["VRAM needed", gb(result.vramBytes)],
        ["GPU layers", String(result.gpuLayers)],
        ["bandwidth", result.bandwidthGBs != null ? `${result.bandwidthGBs} GB/s (effective over the split)` : "unknown"],
        ["ceiling", result.ceilingTps != null ? `${result.ceilingTps.toFixed(1)} tokens/s (generation, empty context)` : "unknown"]
    ];
    const width = Math.max(...rows.map(([key]) => key.length));
    return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n") + "\n\n" + result.lines.join("\n") + "\n";
}
