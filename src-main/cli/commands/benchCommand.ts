import {createWriteStream} from "node:fs";
import path from "node:path";
import {Option, type Command} from "commander";
import {GgufInsights, readGgufFileInfo} from "node-llama-cpp";
import {validateGguf} from "../../engine/models/validateGguf.js";
import type {HardwareProfile, SweepSpec, TestResult} from "../../engine/types.js";
import {KV_CACHE_TYPES} from "../../engine/types.js";
import {sweepViewColumns} from "../../engine/export/sweepViewColumns.js";
import {parseSweepList} from "../../engine/bench/parseSweepList.js";
import {runSweep} from "../../engine/bench/runSweep.js";
import {assertSweepSize} from "../../engine/bench/expandSweep.js";
import {estimateSweep, type EstimateModel} from "../../engine/bench/estimateSweep.js";
import {inspectModel} from "../../engine/models/inspectModel.js";
import {localBuildCommand} from "../../engine/bench/BenchSession.js";
import type {BinaryChoice} from "../../engine/bench/llamaBinaryOptions.js";
import {defaultPlan} from "../../engine/bench/defaultPlan.js";
import {createStreamingPrinter} from "../../engine/export/createStreamingPrinter.js";
import type {ExportFormat} from "../../engine/export/exporter.js";
import {ResultsStore, defaultResultsFile} from "../../engine/store/resultsStore.js";
import {DEFAULT_MODEL_FILE, discoverModels, defaultModelsDir, ensureDefaultModel} from "../../engine/models/discoverModels.js";
import {getHardwareProfile} from "../../engine/hardware/detectHardware.js";
import {physicalCoresOf} from "../../engine/hardware/physicalCoresOf.js";
import {annotateResultWithCeiling} from "../../engine/ceiling/ceiling.js";
import {defaultConvertedDir} from "../../engine/models/ensureGguf.js";
import {chosenGpuDevice} from "../../engine/hardware/listLlamaDevices.js";
import {ProgressLine, bar, formatBytes, formatDuration} from "../progressLine.js";

interface BenchFlags {
    model?: string[],
    gpuLayers?: string,
    threads?: string,
    batch: string,
    nPrompt?: string,
    nGen?: string,
    reps: string,
    flashAttn: string,
    ctx?: string,
    output: ExportFormat,
    out?: string,
    results?: string,
    cpu?: boolean,
    gpuDevice?: string,
    gpuBandwidth?: string,
    binary: BinaryChoice,
    engine: "node" | "native" | "both",
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
        .description("Benchmark GGUF models with real llama.cpp runs (llama-bench style sweeps); one row per test")
        .option("-m, --model <file...>", "GGUF file(s); default: the models/ folder, else the built-in 1B Q4_0 synthetic model")
        .option("--gpu-layers <list>", "layers offloaded to the GPU, e.g. 0,8,16,max (default: 0, plus max when a GPU exists)")
        .option("-t, --threads <list>", "thread counts, e.g. 1,2 or 1-8+1, or auto: the fastest from 1 to the physical cores, found by a short probe per model (default: auto)")
        .option("-b, --batch <list>", "batch sizes", "512")
        .option("-p, --n-prompt <list>", "prompt tokens to process (default: 128 on CPU, 512 with a GPU)")
        .option("-n, --n-gen <list>", "tokens to generate (default: 32 on CPU, 128 with a GPU)")
        .option("-r, --reps <n>", "repetitions per test (after one warm-up)", "3")
        .option("--flash-attn <list>", "flash attention: 0, 1 or 0,1", "0")
        .option("-d, --n-depth <list>", "tokens already in the KV cache before each prompt, e.g. 0,512,2048: the prompt runs at " +
            "that depth and generation after it (default: 0, so generation runs at depth p, after the prompt; llama-bench's tg runs " +
            "at depth d, so compare with -p 0)")
        .option("--cache-type-k <list>", `KV-cache type of K (also -ctk): ${KV_CACHE_TYPES.join(", ")} (default: f16)`)
        .option("--cache-type-v <list>", `KV-cache type of V (also -ctv): ${KV_CACHE_TYPES.join(", ")} (default: f16); ` +
            "a quantized V needs flash attention (-fa 1): llama.cpp refuses it without, and those tests are error rows that say so")
        .option("--ubatch <list>", "micro-batch sizes (also -ub), capped at the batch (default: the batch size; node-llama-cpp " +
            "ties n_ubatch to n_batch, so LlamaMeter's runner feeds the prompt in micro-batches, and its rows say so)")
        .option("--mmap <list>", "memory-map the model file: 1, 0 or 0,1 (also -mmp; default: 1)")
        .option("-c, --ctx <n>", "context size (default: prompt + generated tokens + 1; llama-bench uses prompt + generated)")
        .addOption(new Option("-o, --output <format>", "output format on stdout").choices(["table", "csv", "json", "jsonl", "md"]).default("table"))
        .option("--out <file>", "write the output to this file instead of stdout")
        .option("--results <file>", "append-only results history (JSON lines)", defaultResultsFile())
        .option("--cpu", "never use a GPU backend")
        .option("--gpu-bandwidth <GB/s>", "the GPU's memory bandwidth for the ceiling, when the GPU table does not know it")
        .option("--gpu-device <index|name>", "the one GPU device llama.cpp may use (see `hw`); the only way to use a software device such as lavapipe")
        .addOption(new Option("--binary <kind>", `llama.cpp binaries: node-llama-cpp's prebuilt ones, or a local build made with \`${localBuildCommand}\``)
            .choices(["prebuilt", "local"]).default("prebuilt"))
        .addOption(new Option("--engine <engine>", "what runs each test: node (LlamaMeter over node-llama-cpp), native (llama.cpp's own " +
            "llama-bench, same settings) or both, side by side").choices(["node", "native", "both"]).default("node"))
        .option("--llama-bench <file>", "the llama-bench binary for --engine native|both (default: on PATH, else built once from " +
            "node-llama-cpp's llama.cpp source when CMake and a C++ compiler exist)")
        .addOption(new Option("--bandwidth <mode>", "measure memory bandwidth for the ceiling columns").choices(["measure", "skip"]).default("measure"))
        .option("--gqa <n>", "legacy ggjt v3 (.bin) files, which are converted to GGUF on first use (kept in converted/ beside --results): " +
            "the grouped-query attention factor, 8 for LLaMA-2 70B (default: read from the file's attention shapes; a --gqa that disagrees is an error)")
        .option("--dry-run", "print the sweep's estimate (time, model loads, bytes read) and its warnings, and run nothing")
        .action(async (flags: BenchFlags) => {
            process.exitCode = await bench(flags);
        });
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
        progress.update("Detecting hardware…", true);
        const detected = await getHardwareProfile({bandwidth: flags.bandwidth});
        const gpuDevice = flags.cpu ? undefined : chosenGpuDevice(detected.devices ?? [], flags.gpuDevice);
        const hardware = flags.gpuBandwidth != null ? withGpuBandwidth(detected, parsePositiveNumber(flags.gpuBandwidth, "--gpu-bandwidth"), gpuDevice?.name) : detected;
        const physicalCores = physicalCoresOf(hardware);
        const hasGpu = !flags.cpu && (gpuDevice != null ||
            (hardware.gpus.some((gpu) => (gpu.vramTotalBytes.value ?? 0) > 0) && hardware.backends.used !== "cpu"));

        const models = flags.model?.map((file) => path.resolve(file)) ?? await defaultModels(progress, controller.signal, flags.dryRun === true);
        // With a GPU, one model's plan sweeps the layers it offloads in quarters.
        const gpuLayerCount = hasGpu && models.length === 1
            // validated first: node-llama-cpp's parser can spin for minutes on a malformed header
            ? await validateGguf(models[0]!).then(() => readGgufFileInfo(models[0]!)).then(async (info) => (await GgufInsights.from(info)).totalLayers, () => undefined)
            : undefined;
        const plan = defaultPlan({physicalCores, hasGpu, ...(gpuLayerCount != null ? {gpuLayerCount} : {})}, models);
        const spec: SweepSpec = {
            models,
            gpuLayers: flags.gpuLayers != null ? parseSweepList(flags.gpuLayers, "gpuLayers") : plan.gpuLayers,
            threads: flags.threads != null ? parseSweepList(flags.threads, "threads") : plan.threads,
            batchSizes: parseSweepList(flags.batch, "count"),
            nPrompt: flags.nPrompt != null ? parseSweepList(flags.nPrompt, "tokens") : plan.nPrompt,
            nGen: flags.nGen != null ? parseSweepList(flags.nGen, "tokens") : plan.nGen,
            reps: parsePositiveInt(flags.reps, "--reps"),
            flashAttention: parseSweepList(flags.flashAttn, "bool"),
            engines: flags.engine === "both" ? ["llamameter", "llama-bench"] : flags.engine === "native" ? ["llama-bench"] : ["llamameter"],
            ...(flags.ctx != null ? {contextSize: parsePositiveInt(flags.ctx, "--ctx")} : {}),
            ...(flags.nDepth != null ? {nDepth: parseSweepList(flags.nDepth, "tokens")} : {}),
            ...(flags.cacheTypeK != null ? {cacheTypeK: parseSweepList(flags.cacheTypeK, "cacheType")} : {}),
            ...(flags.cacheTypeV != null ? {cacheTypeV: parseSweepList(flags.cacheTypeV, "cacheType")} : {}),
            ...(flags.ubatch != null ? {ubatchSizes: parseSweepList(flags.ubatch, "count")} : {}),
            ...(flags.mmap != null ? {useMmap: parseSweepList(flags.mmap, "bool")} : {})
        };
        // The same cap and one-line reason as browser mode's startBench, before any output is opened.
        assertSweepSize(spec);

        // The same estimate and warnings the UI shows before a run; warnings never stop the sweep.
        const inspected = new Map<string, EstimateModel>();
        for (const file of new Set(models)) {
            const info = await inspectModel(file).catch(() => null);
            if (info != null)
                inspected.set(file, {fileBytes: info.fileBytes, nLayer: info.nLayer});
        }
        const store = new ResultsStore(flags.results ?? defaultResultsFile());
        const estimate = estimateSweep(spec, {
            models: inspected,
            physicalCores: hardware.cpu.physicalCores.value ?? hardware.cpu.logicalCores.value ?? null,
            hasGpu,
            bandwidthGBs: hardware.bandwidth.value?.readAllGBs ?? null,
            history: await store.readAll().catch(() => []),
            ...(hardware.cpu.brand.value != null ? {cpu: hardware.cpu.brand.value} : {})
        });
        progress.clear();
        const cost = `${estimate.tests} test${estimate.tests === 1 ? "" : "s"} × ${spec.reps} reps: ${estimate.summary}`;
        if (flags.dryRun === true) {
            process.stdout.write(`${cost}\n${estimate.warnings.map((warning) => `warning: ${warning}\n`).join("")}`);
            return 0;
        }
        progress.log(cost);
        for (const warning of estimate.warnings)
            progress.log(`warning: ${warning}`);

        const output = flags.out != null ? createWriteStream(flags.out) : process.stdout;
        // The table's widths are fixed before the first row: make room for the longest file name.
        const longestName = Math.max(...models.map((file) => path.basename(file).length));
        const printer = createStreamingPrinter(flags.output, (text) => output.write(text), {minWidths: {model_file: longestName},
            ...(flags.output === "table" || flags.output === "md" ? {columns: sweepViewColumns(spec, flags.output)} : {})});
        printer.header();

        const failed: TestResult[] = [];
        const results = await runSweep(spec, {
            signal: controller.signal,
            store,
            hardware,
            annotate: annotateResultWithCeiling,
            gpu: flags.cpu ? "cpu" : "auto",
            binary: flags.binary,
            ...(flags.llamaBench != null ? {llamaBench: {explicitPath: flags.llamaBench}} : {}),
            convertedDir: defaultConvertedDir(store.file),
            ...(flags.gqa != null ? {gqa: parsePositiveInt(flags.gqa, "--gqa")} : {}),
            ...(gpuDevice != null ? {gpuDevice} : {}),
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

        process.stderr.write(`${results.length} test(s) kept in ${store.file}` +
            (controller.signal.aborted ? " (cancelled)" : "") + (failed.length > 0 ? `; ${failed.length} failed` : "") + "\n");
        if (controller.signal.aborted)
            return 130;
        return failed.length > 0 ? 1 : 0;
    } finally {
        process.off("SIGINT", onSigint);
    }
}

/** The models/ folder's GGUF files, or the built-in default (written once, with a progress bar). */
async function defaultModels(progress: ProgressLine, signal: AbortSignal, dryRun: boolean): Promise<string[]> {
    const found = await discoverModels({dirs: [{path: defaultModelsDir(), origin: "models"}], signal});
    if (found.length > 0)
        return found.map((model) => model.path);
    // A dry run writes nothing: the estimate names the file and leaves out what it cannot know yet.
    if (dryRun)
        return [path.join(defaultModelsDir(), DEFAULT_MODEL_FILE)];

    const file = await ensureDefaultModel({
        signal,
        onProgress: (written, total) => progress.update(`Writing the built-in default model (1B Q4_0, random weights) ${bar(written / total)} ${formatBytes(written)}`)
    });
    progress.log(`Using the built-in default model ${file}`);
    return [file];
}

function parsePositiveInt(text: string, name: string): number {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1)
        throw new Error(`${name} must be a whole number of at least 1, not "${text}"`);
    return value;
}

/** The profile with the user's GPU bandwidth on its first GPU (or on the chosen device when no GPU was listed). */
function withGpuBandwidth(hardware: HardwareProfile, gbs: number, deviceName: string | undefined): HardwareProfile {
    const bandwidthGBs = {value: gbs, source: "user" as const, note: "--gpu-bandwidth"};
    const [first, ...rest] = hardware.gpus;
    if (first != null)
        return {...hardware, gpus: [{...first, bandwidthGBs}, ...rest]};
    const none = {value: null, source: "none" as const};
    return {...hardware, gpus: [{name: {value: deviceName ?? "GPU", source: "user"}, vendor: none, vramTotalBytes: none, vramFreeBytes: none, bandwidthGBs}]};
}

function parsePositiveNumber(text: string, flag: string): number {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
        throw new Error(`${flag} must be a positive number, got "${text}"`);
    return value;
}
