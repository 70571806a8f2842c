// `llamameter`: the headless front end over the engine.
import {Command} from "commander";
import {registerBenchCommand} from "./commands/benchCommand.js";
import {registerSynthCommand} from "./commands/synthCommand.js";
import {registerInspectCommand} from "./commands/inspectCommand.js";
import {registerHwCommand} from "./commands/hwCommand.js";
import {registerPredictCommand} from "./commands/predictCommand.js";

const program = new Command()
    .name("llamameter")
    .description("How fast will this model run on this machine, and why? Real llama.cpp runs beside the memory-bandwidth ceiling.")
    .showHelpAfterError();

registerBenchCommand(program);
registerSynthCommand(program);
registerInspectCommand(program);
registerHwCommand(program);
registerPredictCommand(program);

// llama-bench's multi-letter short flags, which commander cannot declare.
const llamaBenchAliases: Record<string, string> = {"-ngl": "--gpu-layers", "-fa": "--flash-attn", "-ub": "--ubatch",
    "--ubatch-size": "--ubatch", "-ctk": "--cache-type-k", "-ctv": "--cache-type-v", "-mmp": "--mmap"};
const argv = process.argv.map((arg) => llamaBenchAliases[arg] ?? arg);

try {
    await program.parseAsync(argv);
} catch (error) {
    process.stderr.write(`llamameter: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
}
