// `llamameter bench`: parses flags into a sweep over the engine service's default plan, prints the estimate
// (and the plan, with --dry-run), then streams each row as the service runs it. No planning or running here:
// the app's Run button gets the same plan from the same service.
import {createWriteStream} from "node:fs";
import path from "node:path";
import {Option, type Command} from "commander";
import type {SweepSpec, TestResult} from "../../engine/types.js";
import {KV_CACHE_TYPES} from "../../engine/types.js";
import {sweepViewColumns} from "../../engine/export/sweepViewColumns.js";
import {parseSweepList} from "../../engine/bench/parseSweepList.js";
import {createLlamaMeter, type LlamaMeter, type MachineChoice} from "../../engine/createLlamaMeter.js";
import type {GpuChoice} from "../../engine/bench/resolveGpuChoice.js";
import {localBuildCommand} from "../../engine/bench/BenchSession.js";
import {BINARY_CHOICES, type BinaryChoice} from "../../engine/llama/llamaBinaryOptions.js";
import {createStreamingPrinter} from "../../engine/export/createStreamingPrinter.js";
import {EXPORT_FORMATS, type ExportFormat} from "../../engine/export/exporter.js";
import {defaultResultsFile} from "../../engine/store/resultsStore.js";
import {defaultModelsDir} from "../../engine/models/discoverModels.js";
import {formatBytes} from "../../engine/formatBytes.js";
import {ProgressLine, bar, formatDuration} from "../progressLine.js";

/** What runs each test: LlamaMeter's runner, llama.cpp's llama-bench, or both side by side. */
const ENGINE_CHOICES = ["auto", "node", "native", "both"] as const;

export interface BenchFlags {
    model?: string[],
    gpuLayers?: string,
    threads?: string,
    batch?: string,
    nPrompt?: string,
    nGen?: string,
    reps?: string,
    flashAttn?: string,
    ctx?: string,
    output: ExportFormat,
    out?: string,
    results?: string,
    cpu?: boolean,
    gpuDevice?: string,
    gpuBandwidth?: string,
    vramBudget?: string,
    binary: BinaryChoice,
    engine?: (typeof ENGINE_CHOICES)[number],
    llamaBench?: string,
    bandwidth: "measure" | "skip",
    gqa?: string,
    dryRun?: boolean,
    nDepth?: string,
    cacheTypeK?: string,
    cacheTypeV?: string,
    ubatch?: string,
    mmap?: string
}

export function registerBenchCommand(program: Command) {
    program.command("bench")
        .description("Benchmark GGUF models with real llama.cpp runs (llama-bench style sweeps); one row per test. " +
            "Flags left out come from the default plan, the same one the app's Run button uses (see --dry-run)")
        .option("-m, --model <file...>", "GGUF file(s); default: the readable GGUF files of models/, else the built-in 1B Q4_0 synthetic model")
        .option("--gpu-layers <list>", "layers offloaded to the GPU, e.g. 0,8,16,max (default: 0; with a GPU 0, ¼, ½, ¾ and all layers)")
        .option("-t, --threads <list>", "thread counts, e.g. 1,2 or 1-8+1, or auto: the fastest from 1 to the physical cores, found by a short probe per model (default: auto)")
        .option("-b, --batch <list>", "batch sizes (default: 512)")
        .option("-p, --n-prompt <list>", "prompt tokens to process (default: 128 on CPU, 512 with a GPU)")
        .option("-n, --n-gen <list>", "tokens to generate (default: 32 on CPU, 128 with a GPU)")
        .option("-r, --reps <n>", "repetitions per test, after one warm-up (default: 3)")
        .option("--flash-attn <list>", "flash attention: 0, 1 or 0,1 (default: 0)")
        .option("-d, --n-depth <list>", "tokens already in the KV cache before each prompt, e.g. 0,512,2048: the prompt runs at " +
            "that depth and generation after it (default: 0, so generation runs at depth p, after the prompt; llama-bench's tg runs " +
            "at depth d, so compare with -p 0)")
        .option("--cache-type-k <list>", `KV-cache type of K (also -ctk): ${KV_CACHE_TYPES.join(", ")} (default: f16)`)
        .option("--cache-type-v <list>", `KV-cache type of V (also -ctv): ${KV_CACHE_TYPES.join(", ")} (default: f16); ` +
            "a quantized V needs flash attention (-fa 1): llama.cpp refuses it without, and those tests are error rows that say so")
        .option("--ubatch <list>", "micro-batch sizes (also -ub), capped at the batch (default: the batch size; node-llama-cpp " +
            "ties n_ubatch to n_batch, so LlamaMeter's runner feeds the prompt in micro-batches, and its rows say so)")
        .option("--mmap <list>", "memory-map the model file: 1, 0 or 0,1 (also -mmp; default: 1)")
        .option("-c, --ctx <n>", "context size (default: prompt + generated tokens, as llama-bench)")
        .addOption(new Option("-o, --output <format>", "output format on stdout").choices(EXPORT_FORMATS).default("table"))
        .option("--out <file>", "write the output to this file instead of stdout")
        .option("--results <file>", "append-only results history (JSON lines)", defaultResultsFile())
        .option("--cpu", "never use a GPU backend")
        .option("--gpu-bandwidth <GB/s>", "the GPU's memory bandwidth for the ceiling, when the GPU table does not know it")
        .option("--vram-budget <GiB>", "VRAM the fit check may use instead of the device's free memory (to keep some free, or to test the refusal)")
        .option("--gpu-device <index|name>", "the one GPU device llama.cpp may use (see `hw`); the only way to use a software device such as lavapipe")
        .addOption(new Option("--binary <kind>", `llama.cpp binaries: node-llama-cpp's prebuilt ones, or a local build made with \`${localBuildCommand}\``)
            .choices(BINARY_CHOICES).default("prebuilt"))
        .addOption(new Option("--engine <engine>", "what runs each test: node (LlamaMeter over node-llama-cpp), native (llama.cpp's own " +
            "llama-bench, same settings), both, side by side, or auto: node, with llama-bench beside each row where node-llama-cpp " +
            "measurably falls short of it (fast tokens: threads restarted every token, time outside llama.cpp), when a llama-bench is at " +
            "hand (default: auto)").choices(ENGINE_CHOICES))
        .option("--llama-bench <file>", "the llama-bench binary for --engine native|both|auto (default: on PATH, else, for native " +
            "and both, built once from node-llama-cpp's llama.cpp source when CMake and a C++ compiler exist; auto never builds)")
        .addOption(new Option("--bandwidth <mode>", "measure memory bandwidth for the ceiling columns").choices(["measure", "skip"]).default("measure"))
        .option("--gqa <n>", "legacy ggjt v3 (.bin) files, which are converted to GGUF on first use (kept in converted/ beside --results): " +
            "the grouped-query attention factor, 8 for LLaMA-2 70B (default: read from the file's attention shapes; a --gqa that disagrees is an error)")
        .option("--dry-run", "print the plan, its estimate (time, model loads, bytes read) and its warnings, and run nothing")
        .action(async (flags: BenchFlags) => {
            process.exitCode = await bench(flags);
        });
}

/** The GPU choice of the flags (the sweep's gpuDevice, gpuBandwidthGBs and vramBudgetBytes, and --cpu). */
export function gpuChoiceFromFlags(flags: BenchFlags): GpuChoice {
    return {
        ...(flags.cpu === true ? {cpu: true} : {}),
        ...(flags.gpuDevice != null ? {gpuDevice: flags.gpuDevice} : {}),
        ...(flags.gpuBandwidth != null ? {gpuBandwidthGBs: parsePositiveNumber(flags.gpuBandwidth, "--gpu-bandwidth")} : {}),
        ...(flags.vramBudget != null ? {vramBudgetBytes: Math.round(parsePositiveNumber(flags.vramBudget, "--vram-budget") * 1024 ** 3)} : {})
    };
}

/** The rest of what may run, from the flags. */
export function choiceFromFlags(flags: BenchFlags): MachineChoice {
    return {
        ...(flags.cpu === true ? {cpu: true} : {}),
        binary: flags.binary,
        ...(flags.llamaBench != null ? {llamaBench: flags.llamaBench} : {}),
        ...(flags.gqa != null ? {gqa: parsePositiveInt(flags.gqa, "--gqa")} : {})
    };
}

/** The sweep: each flag given replaces the plan's list; a flag left out keeps the plan's. */
export function sweepFromFlags(flags: BenchFlags, plan: SweepSpec): SweepSpec {
    return {
        ...plan,
        ...(flags.engine != null ? engineFields(flags.engine) : {}),
        ...(flags.gpuLayers != null ? {gpuLayers: parseSweepList(flags.gpuLayers, "gpuLayers")} : {}),
        ...(flags.threads != null ? {threads: parseSweepList(flags.threads, "threads")} : {}),
        ...(flags.batch != null ? {batchSizes: parseSweepList(flags.batch, "count")} : {}),
        ...(flags.nPrompt != null ? {nPrompt: parseSweepList(flags.nPrompt, "tokens")} : {}),
        ...(flags.nGen != null ? {nGen: parseSweepList(flags.nGen, "tokens")} : {}),
        ...(flags.reps != null ? {reps: parsePositiveInt(flags.reps, "--reps")} : {}),
        ...(flags.flashAttn != null ? {flashAttention: parseSweepList(flags.flashAttn, "bool")} : {}),
        ...(flags.ctx != null ? {contextSize: parsePositiveInt(flags.ctx, "--ctx")} : {}),
        ...(flags.nDepth != null ? {nDepth: parseSweepList(flags.nDepth, "tokens")} : {}),
        ...(flags.cacheTypeK != null ? {cacheTypeK: parseSweepList(flags.cacheTypeK, "cacheType")} : {}),
        ...(flags.cacheTypeV != null ? {cacheTypeV: parseSweepList(flags.cacheTypeV, "cacheType")} : {}),
        ...(flags.ubatch != null ? {ubatchSizes: parseSweepList(flags.ubatch, "count")} : {}),
        ...(flags.mmap != null ? {useMmap: parseSweepList(flags.mmap, "bool")} : {})
    };
}

async function bench(flags: BenchFlags): Promise<number> {
    const progress = new ProgressLine();
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
        interrupts++;
        if (interrupts > 1)
            process.exit(130);
        progress.log("Stopping after the current token (Ctrl-C again to quit at once); finished rows are kept.");
        controller.abort();
    };
    process.on("SIGINT", onSigint);

    try {
        const results = flags.results ?? defaultResultsFile();
        const meter: LlamaMeter = createLlamaMeter({modelsDirs: [defaultModelsDir()], resultsFile: results, bandwidth: flags.bandwidth});
        const choice = choiceFromFlags(flags);
        progress.update("Detecting hardware…", true);
        await meter.hardware();

        const models = flags.model?.map((file) => path.resolve(file));
        const spec = meter.check(sweepFromFlags(flags, await meter.plan(models, gpuChoiceFromFlags(flags))));
        const estimate = await meter.estimate(spec, choice);
        progress.clear();
        const cost = `${estimate.tests} test${estimate.tests === 1 ? "" : "s"} × ${spec.reps} reps: ${estimate.summary}`;
        if (flags.dryRun === true) {
            process.stdout.write(flags.output === "json" ? `${JSON.stringify({plan: spec, estimate}, null, 2)}\n`
                : `${describePlan(spec)}\n${cost}\n${estimate.warnings.map((warning) => `warning: ${warning}\n`).join("")}`);
            return 0;
        }
        progress.log(cost);
        for (const warning of estimate.warnings)
            progress.log(`warning: ${warning}`);

        const output = flags.out != null ? createWriteStream(flags.out) : process.stdout;
        // The table's widths are fixed before the first row: make room for the longest file name.
        const longestName = Math.max(...spec.models.map((file) => path.basename(file).length));
        const printer = createStreamingPrinter(flags.output, (text) => output.write(text), {minWidths: {model_file: longestName},
            ...(flags.output === "table" || flags.output === "md" ? {columns: sweepViewColumns(spec, flags.output)} : {})});
        printer.header();

        const failed: TestResult[] = [];
        const rows = await meter.run(spec, {
            signal: controller.signal,
            choice,
            onEvent: (event) => {
                if (event.type === "converted")
                    progress.log(event.cached
                        ? `${event.file}: ${event.from}, using its GGUF converted earlier: ${event.gguf}`
                        : `${event.file}: converted from ${event.from} to GGUF in ${(event.ms / 1000).toFixed(1)} s (${formatBytes(event.bytes)}): ${event.gguf}`);
                else if (event.type === "progress")
                    progress.update(`${bar(event.total > 0 ? event.done / event.total : 0)} ${event.message}` +
                        (event.etaMs != null ? `  ETA ${formatDuration(event.etaMs)}` : ""));
                else if (event.type === "test-end" && event.result.status !== "cancelled") {
                    progress.clear();
                    printer.row(event.result);
                    if (event.result.status === "error") {
                        failed.push(event.result);
                        progress.log(`error: ${event.result.error}`);
                    }
                }
            }
        });
        progress.clear();
        printer.footer();
        if (output !== process.stdout)
            await new Promise<void>((resolve) => (output as ReturnType<typeof createWriteStream>).end(resolve));

        process.stderr.write(`${rows.length} test(s) kept in ${meter.store.file}` +
            (controller.signal.aborted ? " (cancelled)" : "") + (failed.length > 0 ? `; ${failed.length} failed` : "") + "\n");
        if (controller.signal.aborted)
            return 130;
        return failed.length > 0 ? 1 : 0;
    } finally {
        process.off("SIGINT", onSigint);
    }
}

/** The plan in the CLI's own flag syntax, one line: what `bench` would run. */
function describePlan(spec: SweepSpec): string {
    const list = (values: ReadonlyArray<unknown>) => values.map(String).join(",");
    return `plan: ${spec.models.map((file) => path.basename(file)).join(" ")}: -t ${list(spec.threads)} --gpu-layers ${list(spec.gpuLayers)} ` +
        `-b ${list(spec.batchSizes)} -p ${list(spec.nPrompt)} -n ${list(spec.nGen)} -r ${spec.reps} ` +
        `--flash-attn ${list(spec.flashAttention.map(Number))}${spec.contextSize != null ? ` -c ${spec.contextSize}` : ""}` +
        (spec.nDepth != null ? ` -d ${list(spec.nDepth)}` : "") + (spec.cacheTypeK != null ? ` -ctk ${list(spec.cacheTypeK)}` : "") +
        (spec.cacheTypeV != null ? ` -ctv ${list(spec.cacheTypeV)}` : "") + (spec.ubatchSizes != null ? ` -ub ${list(spec.ubatchSizes)}` : "") +
        (spec.useMmap != null ? ` --mmap ${list(spec.useMmap.map(Number))}` : "") +
        (spec.gpuDevice != null ? ` --gpu-device ${spec.gpuDevice}` : "") + (spec.gpuBandwidthGBs != null ? ` --gpu-bandwidth ${spec.gpuBandwidthGBs}` : "") +
        (spec.vramBudgetBytes != null ? ` --vram-budget ${(spec.vramBudgetBytes / 1024 ** 3).toFixed(3)}` : "") +
        (spec.engines != null ? ` (engines: ${spec.engines.join(", ")})` : "") +
        (spec.nativeWhereShort === true ? " (llama-bench beside rows where node-llama-cpp falls short, when one is at hand)" : "");
}

/** The sweep fields an --engine choice sets: both of them, so the plan's own choice never shows through. */
function engineFields(engine: (typeof ENGINE_CHOICES)[number]): Pick<SweepSpec, "engines" | "nativeWhereShort"> {
    switch (engine) {
        case "auto": return {engines: undefined, nativeWhereShort: true};
        case "node": return {engines: undefined, nativeWhereShort: false};
        case "native": return {engines: ["llama-bench"], nativeWhereShort: undefined};
        case "both": return {engines: ["llamameter", "llama-bench"], nativeWhereShort: undefined};
    }
}

function parsePositiveInt(text: string, name: string): number {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1)
        throw new Error(`${name} must be a whole number of at least 1, not "${text}"`);
    return value;
}

function parsePositiveNumber(text: string, flag: string): number {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
        throw new Error(`${flag} must be a positive number, got "${text}"`);
    return value;
}
