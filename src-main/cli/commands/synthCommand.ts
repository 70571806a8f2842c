import path from "node:path";
import {Option, type Command} from "commander";
import {writeSyntheticGguf} from "../../engine/models/writeSyntheticGguf.js";
import {SHAPE_NAMES, resolveShape} from "../../engine/models/shapePresets.js";
import {defaultModelsDir} from "../../engine/models/discoverModels.js";
import {SYNTHETIC_WEIGHT_TYPES, type ModelShape, type WeightType} from "../../engine/types.js";

const shapeFlags = {nEmbd: "nEmbd", nLayer: "nLayer", nHead: "nHead", nHeadKv: "nHeadKv", nFf: "nFf", vocab: "vocabSize"} as const;
type ShapeFlag = keyof typeof shapeFlags;
import {ProgressLine, bar} from "../progressLine.js";
import {formatBytes} from "../../engine/formatBytes.js";

export function registerSynthCommand(program: Command) {
    program.command("synth")
        .description("Write a synthetic LLaMA-architecture GGUF with random weights (same shape and type => same speed as the real model)")
        .addOption(new Option("--shape <name>", "model shape").choices(SHAPE_NAMES).makeOptionMandatory())
        .addOption(new Option("--type <type>", "weight type").choices(SYNTHETIC_WEIGHT_TYPES).default(SYNTHETIC_WEIGHT_TYPES[0]))
        .option("--out <file>", "output file (default: models/llama-<shape>-<type>.synthetic.gguf)")
        // Any shape between the presets, e.g. the 116 MB model of the benchmarks:
        // --shape 1b --n-embd 1024 --n-layer 16 --n-head 16 --n-head-kv 8 --n-ff 1536
        .option("--n-embd <n>", "override the preset's embedding width")
        .option("--n-layer <n>", "override the preset's layer count")
        .option("--n-head <n>", "override the preset's attention heads")
        .option("--n-head-kv <n>", "override the preset's key/value heads")
        .option("--n-ff <n>", "override the preset's feed-forward width")
        .option("--vocab <n>", "override the preset's vocabulary size")
        .action(async (flags: {shape: string, type: WeightType, out?: string} & Partial<Record<ShapeFlag, string>>) => {
            const shape = resolveShape(flags.shape);
            const overridden: string[] = [];
            for (const [flag, key] of Object.entries(shapeFlags) as Array<[ShapeFlag, keyof ModelShape]>) {
                const value = flags[flag];
                if (value == null)
                    continue;
                if (!/^\d+$/.test(value) || Number(value) < 1)
                    throw new Error(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a positive integer, got "${value}"`);
                shape[key] = Number(value);
                overridden.push(`${key}${value}`);
            }
            const name = overridden.length > 0 ? `${flags.shape}-${overridden.join("-")}` : flags.shape;
            const outPath = path.resolve(flags.out ?? path.join(defaultModelsDir(), `llama-${name}-${flags.type}.synthetic.gguf`));
            const progress = new ProgressLine();
            const controller = new AbortController();
            const onSigint = () => controller.abort();
            process.once("SIGINT", onSigint);
            try {
                const started = Date.now();
                const {bytes} = await writeSyntheticGguf({
                    shape,
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
