import path from "node:path";
import {Option, type Command} from "commander";
import {writeSyntheticGguf} from "../../engine/models/writeSyntheticGguf.js";
import {SHAPE_PRESETS, resolveShape} from "../../engine/models/shapePresets.js";
import {defaultModelsDir} from "../../engine/models/discoverModels.js";
import type {WeightType} from "../../engine/types.js";
import {ProgressLine, bar, formatBytes} from "../progressLine.js";

export function registerSynthCommand(program: Command) {
    program.command("synth")
        .description("Write a synthetic LLaMA-architecture GGUF with random weights (same shape and type => same speed as the real model)")
        .addOption(new Option("--shape <name>", "model shape").choices(Object.keys(SHAPE_PRESETS)).makeOptionMandatory())
        .addOption(new Option("--type <type>", "weight type").choices(["f16", "q8_0", "q4_0", "q4_k"]).default("q4_0"))
        .option("--out <file>", "output file (default: models/llama-<shape>-<type>.synthetic.gguf)")
        .action(async (flags: {shape: string, type: WeightType, out?: string}) => {
            const outPath = path.resolve(flags.out ?? path.join(defaultModelsDir(), `llama-${flags.shape}-${flags.type}.synthetic.gguf`));
            const progress = new ProgressLine();
            const controller = new AbortController();
            const onSigint = () => controller.abort();
            process.once("SIGINT", onSigint);
            try {
                const started = Date.now();
                const {bytes} = await writeSyntheticGguf({
                    shape: resolveShape(flags.shape),
                    type: flags.type,
                    outPath,
                    signal: controller.signal,
                    onProgress: (written, total) => progress.update(`${bar(written / total)} ${formatBytes(written)} / ${formatBytes(total)}`)
                });
                progress.clear();
                process.stdout.write(`${outPath}\n`);
                process.stderr.write(`wrote ${formatBytes(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
            } finally {
                process.off("SIGINT", onSigint);
            }
        });
}
