// Native fidelity: does LlamaMeter report what llama.cpp itself achieves on this machine?
// Runs llama.cpp's own llama-bench (built from the source node-llama-cpp bundles, scripts/native/
// buildLlamaBench.ts) and LlamaMeter's real benchmark runner (runSweep: the bench worker process,
// measureTest, node-llama-cpp) on the same synthetic model with the same settings, alternating them, and
// prints pp and tg medians and ratios (LlamaMeter / native) per thread count.
//
//   npm run bench:native -- [--threads 1,2] [-p 64] [-n 32] [-r 3] [--rounds 5] [--fa 0,1] [-b 512]
//                           [--with-7b] [--sizes 30m,220m,1b,7b] [--model FILE ...] [--binary prebuilt|local]
//                           [--out FILE.json] [--native-lib-dir DIR | --own-kernels] [--with-plain] [--uv-pool N]
//
// --sizes names synthetic Q4_0 models by shape preset (written once into models/): 30m (~18 MB) and 220m
// (~128 MB) are where per-decode overhead and thread hand-offs decide the rate; 1b and 7b are bandwidth-bound.
// Generation is compared twice: LlamaMeter's decode rate (llama.cpp's own counters, what llama-bench times)
// and its end-to-end rate (wall time, with sampling and the binding), each against llama-bench's tg.
// --uv-pool N runs LlamaMeter's bench worker with N libuv pool threads instead of its default, to A/B it.
//
// By default llama-bench runs over the same prebuilt ggml CPU kernels as LlamaMeter's runner (linked in first on
// LD_LIBRARY_PATH, as the product's native engine does): the two sides then differ only in what drives the
// kernels. Its own build's kernels (GGML_NATIVE, OpenMP) ran a 30m model at 0.5-0.7 of the prebuilt ones here.
// --own-kernels keeps them. --native-lib-dir runs llama-bench with DIR first on LD_LIBRARY_PATH instead: a
// diagnostic that swaps in ggml libraries built with other options, to tell kernel from threading differences.
//
// --with-plain adds a third side: a bare node-llama-cpp loop (scripts/native/timeNodeLlamaCpp.ts, same
// settings and warm-up, in a fresh process like the runner's worker) without LlamaMeter's runner around
// it. Its ratio to native is the binding's share of a gap; LlamaMeter's ratio to it is the runner's.
//
// Settings made equal: prompt P random tokens from an empty cache (llama-bench -p P -n 0); generation
// of N tokens one at a time after P tokens, as LlamaMeter measures it (llama-bench -p 0 -n N -d P);
// threads; batch = micro-batch (node-llama-cpp sets n_ubatch = n_batch, so llama-bench gets -b B
// -ub B); llama.cpp caps both at the context it is given, so llama-bench runs min(B, P) and min(B, P + N),
// while node-llama-cpp pads the context to a multiple of 256 first and LlamaMeter runs min(B, that) (see
// measureTest for why it is not capped further); flash attention explicit 0/1 on both
// (llama-bench's own default is "auto", which llama.cpp resolves to on for the CPU backend); context:
// llama-bench uses P (pp) and P + N (tg), LlamaMeter P + N + 1 (one slot for the token that starts
// generation), and llama.cpp pads all to a multiple of 256, so the KV cache is the same size whenever
// P + N < 256 (the effective sizes are printed). llama-bench keeps its defaults for what LlamaMeter
// cannot set: a persistent threadpool with --poll 50, no CPU mask, normal priority, mmap.
//
// Reading the ratios: "native" is a GGML_NATIVE=ON build, so its kernels can differ from the prebuilt
// binaries' CPU variant. Seen on a Sapphire Rapids VM: -march=native enables AVX512-FP16, whose f16 dot
// product steps 128 elements at a time, so with 64-wide attention heads (the 1B shape) it runs entirely in
// its scalar tail; the prebuilt sapphirerapids variant has no AVX512-FP16 and vectorises it. Native 1B
// generation is then slower than LlamaMeter's (ratios > 1) for a reason that is not LlamaMeter's.
// A shared VM's neighbours also move single rounds by +-30% or more (memory-bandwidth contention that no
// /proc counter shows): compare over many rounds. Both the medians and each side's best sample are
// printed; the best is the steadier estimate of unhindered speed when the host is busy.
import {execFile} from "node:child_process";
import {existsSync} from "node:fs";
import {mkdir, writeFile} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs, promisify} from "node:util";
import {runSweep} from "../../src-main/engine/bench/runSweep.js";
import type {BinaryChoice} from "../../src-main/engine/llama/llamaBinaryOptions.js";
import {resolveShape} from "../../src-main/engine/models/shapePresets.js";
import {writeSyntheticGguf} from "../../src-main/engine/models/writeSyntheticGguf.js";
import type {TestConfig, TestResult} from "../../src-main/engine/types.js";
import {llamaBenchArgs, parseLlamaBenchJson, type LlamaBenchRow} from "../../src-main/engine/native/runLlamaBench.js";
import {median} from "../../src-main/engine/bench/stats.js";
import {formatBinary} from "../../src-main/engine/llama/formatBinary.js";
import {physicalCoresOf} from "../../src-main/engine/hardware/physicalCoresOf.js";
import {getHardwareProfile} from "../../src-main/engine/hardware/detectHardware.js";
import {sampleDecodeTps, samplePpTps, sampleTgTps} from "../../src-main/engine/bench/sampleRates.js";
import {startBackgroundLoad, waitForQuietCpu} from "../../src-main/engine/bench/backgroundLoad.js";
import {buildLlamaBench, type LlamaBenchBuild} from "../../src-main/engine/native/buildLlamaBench.js";
import {sameKernelsLibDir, withLibraryDir} from "../../src-main/engine/native/sameKernelsLibDir.js";
import type {NodeLlamaCppTimes} from "./timeNodeLlamaCpp.js";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Settings {
    threads: number[],
    nPrompt: number,
    nGen: number,
    reps: number,
    rounds: number,
    flashAttention: boolean[],
    batch: number,
    models: string[],
    binary: BinaryChoice,
    /** A pair counts as quiet when other processes used at most this many cores during both halves. */
    maxBackground: number,
    out?: string,
    nativeLibDir?: string,
    /** Run llama-bench over its own build's ggml, not LlamaMeter's prebuilt CPU kernels (--own-kernels). */
    ownKernels: boolean,
    withPlain: boolean,
    uvPool?: number
}

/** One side's measurement of one (model, threads, fa) cell in one round. */
interface Measurement {
    ppTps: number[],
    /** End-to-end generation rate (wall time); llama-bench's tg, which times its decodes alone. */
    tgTps: number[],
    /** The decode rate from llama.cpp's counters (LlamaMeter's runner); llama-bench's tg for native. */
    tgDecodeTps: number[],
    /**
     * Cores other processes used meanwhile (null without /proc): for llama-bench, the mean over its run;
     * for the Node sides, the worst of their timed repetitions (see worstRepetitionLoad).
     */
    background: number | null,
    /** Context sizes asked for and what llama.cpp made of them. */
    context: string,
    binary: string
}

interface Cell {
    model: string,
    threads: number,
    flashAttention: boolean,
    rounds: Array<{native: Measurement, engine: Measurement, plain?: Measurement}>
}

function parseSettings(cores: number): Settings {
    const {values} = parseArgs({
        options: {
            threads: {type: "string", short: "t"},
            "n-prompt": {type: "string", short: "p", default: "64"},
            "n-gen": {type: "string", short: "n", default: "32"},
            reps: {type: "string", short: "r", default: "3"},
            rounds: {type: "string", default: "5"},
            fa: {type: "string", default: "0,1"},
            batch: {type: "string", short: "b", default: "512"},
            "with-7b": {type: "boolean", default: false},
            model: {type: "string", short: "m", multiple: true},
            binary: {type: "string", default: "prebuilt"},
            "max-background": {type: "string", default: "0.15"},
            out: {type: "string", short: "o"},
            "native-lib-dir": {type: "string"},
            "own-kernels": {type: "boolean", default: false},
            "with-plain": {type: "boolean", default: false},
            sizes: {type: "string"},
            "uv-pool": {type: "string"}
        }
    });
    const list = (text: string) => text.split(",").map((part) => Number(part.trim()));
    const settings: Settings = {
        threads: values.threads != null ? list(values.threads) : Array.from({length: cores}, (_, i) => i + 1),
        nPrompt: Number(values["n-prompt"]),
        nGen: Number(values["n-gen"]),
        reps: Number(values.reps),
        rounds: Number(values.rounds),
        flashAttention: list(values.fa!).map((value) => value === 1),
        batch: Number(values.batch),
        models: values.model ?? [],
        binary: values.binary === "local" ? "local" : "prebuilt",
        maxBackground: Number(values["max-background"]),
        out: values.out,
        nativeLibDir: values["native-lib-dir"] != null ? path.resolve(values["native-lib-dir"]) : undefined,
        ownKernels: values["own-kernels"] === true,
        withPlain: values["with-plain"] === true,
        ...(values["uv-pool"] != null ? {uvPool: Number(values["uv-pool"])} : {})
    };
    if (values.sizes != null)
        settings.models.push(...values.sizes.split(",").map((size) => size.trim()));
    for (const [name, value] of Object.entries({threads: settings.threads, nPrompt: settings.nPrompt, nGen: settings.nGen, reps: settings.reps, rounds: settings.rounds, batch: settings.batch}))
        if ([value].flat().some((number) => !Number.isInteger(number) || number < 1))
            throw new Error(`--${name}: expected positive integers, got ${String(value)}`);
    if (values["with-7b"] === true)
        settings.models.push("7b");
    if (settings.models.length === 0 || values["with-7b"] === true && values.model == null && values.sizes == null)
        settings.models.unshift("1b");
    return settings;
}


/** "30m", "220m", "1b", "7b", ... name the synthetic Q4_0 models (written once into models/); anything else is a path. */
async function resolveModel(name: string): Promise<string> {
    if (!/^\d+[bm]$/i.test(name))
        return path.resolve(name);
    const file = path.join(root, "models", `llama-${name.toLowerCase()}-q4_0.synthetic.gguf`);
    if (existsSync(file))
        return file;
    await mkdir(path.dirname(file), {recursive: true});
    let lastPercent = -1;
    await writeSyntheticGguf({
        shape: resolveShape(name), type: "q4_0", outPath: file,
        onProgress: (written, total) => {
            const percent = Math.floor(written / total * 100);
            if (percent !== lastPercent)
                process.stderr.write(`\rwriting ${path.basename(file)}: ${percent}%   `);
            lastPercent = percent;
        }
    });
    process.stderr.write("\n");
    return file;
}

async function runNative(build: LlamaBenchBuild, model: string, threads: number, flashAttention: boolean, settings: Settings): Promise<Measurement> {
    // the product's native engine's arguments: the same test, phase by phase
    const test: TestConfig = {
        modelPath: model, gpuLayers: 0, threads, batchSize: settings.batch, nPrompt: settings.nPrompt, nGen: settings.nGen,
        reps: settings.reps, flashAttention
    };
    const read = startBackgroundLoad();
    const pp = await llamaBench(build, llamaBenchArgs(test, model, "pp"), settings.nativeLibDir);
    const tg = await llamaBench(build, llamaBenchArgs(test, model, "tg"), settings.nativeLibDir);
    return {
        ppTps: pp[0]?.samples_ts ?? [],
        tgTps: tg[0]?.samples_ts ?? [],
        tgDecodeTps: tg[0]?.samples_ts ?? [],
        background: read(),
        context: `pp ${padContext(settings.nPrompt)} (asked ${settings.nPrompt}), tg ${padContext(settings.nPrompt + settings.nGen)} (asked ${settings.nPrompt + settings.nGen}); ` +
            `batch ${Math.min(settings.batch, settings.nPrompt)} (pp), ${Math.min(settings.batch, settings.nPrompt + settings.nGen)} (tg)`,
        binary: `llama-bench ${build.release} ${build.commit.slice(0, 7)}, ${build.compiler.cxx ?? "default compiler"}, ` +
            (settings.nativeLibDir != null
                ? `ggml libraries from ${settings.nativeLibDir}, poll 50`
                : `GGML_NATIVE=${build.cmakeOptions.GGML_NATIVE}, OpenMP ${build.openmp ? "on" : "off"}, poll 50`)
    };
}

async function llamaBench(build: LlamaBenchBuild, args: string[], libDir: string | undefined): Promise<LlamaBenchRow[]> {
    const {stdout} = await run(build.binaryPath, args, {maxBuffer: 16 * 1024 * 1024, env: withLibraryDir(libDir)});
    return parseLlamaBenchJson(stdout);
}

/** llama.cpp rounds the context up to a multiple of 256. */
function padContext(size: number): number {
    return Math.ceil(size / 256) * 256;
}

/** The Node sides' context and batch: node-llama-cpp hands llama.cpp the padded context, which caps the batch. */
function nodeLlamaCppContext(contextSize: number, settings: Settings): string {
    return `${padContext(contextSize)} (asked ${settings.nPrompt + settings.nGen + 1}); batch ${Math.min(settings.batch, contextSize)}`;
}

async function runEngine(model: string, threads: number, flashAttention: boolean, settings: Settings): Promise<Measurement> {
    const read = startBackgroundLoad();
    const [result] = await runSweep({
        models: [model], gpuLayers: [0], threads: [threads], batchSizes: [settings.batch],
        nPrompt: [settings.nPrompt], nGen: [settings.nGen], reps: settings.reps,
        flashAttention: [flashAttention]
    }, {gpu: "cpu", binary: settings.binary, ...(settings.uvPool != null ? {uvThreadpoolSize: settings.uvPool} : {})});
    const wholeRun = read();
    if (result == null || result.status !== "ok")
        throw new Error(`LlamaMeter's runner failed: ${result?.error ?? result?.status ?? "no result"}`);
    return {
        ppTps: result.samples.map(samplePpTps),
        tgTps: result.samples.map(sampleTgTps),
        tgDecodeTps: result.samples.map(sampleDecodeTps).filter(Number.isFinite),
        background: worstRepetitionLoad(result) ?? wholeRun,
        context: nodeLlamaCppContext(result.config.contextSize ?? 0, settings),
        binary: engineBinary(result)
    };
}

async function runPlain(model: string, threads: number, flashAttention: boolean, settings: Settings): Promise<Measurement> {
    const script = path.join(root, "scripts", "native", "timeNodeLlamaCpp.ts");
    const {stdout} = await run(process.execPath, [
        "--import", import.meta.resolve("tsx"), script, "--model", model, "-t", String(threads), "--fa", flashAttention ? "1" : "0",
        "-p", String(settings.nPrompt), "-n", String(settings.nGen), "-r", String(settings.reps), "-b", String(settings.batch),
        "--binary", settings.binary
    ], {maxBuffer: 16 * 1024 * 1024});
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as NodeLlamaCppTimes;
    return {
        ppTps: result.ppTps,
        tgTps: result.tgTps,
        tgDecodeTps: [],
        background: result.backgroundCores,
        context: nodeLlamaCppContext(padContext(settings.nPrompt + settings.nGen + 1), settings),
        binary: `bare node-llama-cpp loop, ${settings.binary} binary`
    };
}

/**
 * The most cores other processes used during one of the runner's repetitions, as the runner recorded it.
 * That is the window that matters: around the whole call, the reading also spans process start-up and
 * the model load, most of the call on the 1B model, and there the Node sides read up to 0.38 cores of
 * "other" load in rounds where llama-bench read 0.01-0.05 (cause not pinned down), so the quiet gate
 * dropped rounds whose timed work had been quiet.
 */
function worstRepetitionLoad(result: TestResult): number | null {
    const loads = result.samples.flatMap((sample) => sample.backgroundCores != null ? [sample.backgroundCores] : []);
    return loads.length > 0 ? Math.max(...loads) : null;
}

function engineBinary(result: TestResult): string {
    return `LlamaMeter runSweep, node-llama-cpp ${result.env.nodeLlamaCppVersion} ${formatBinary(result.env.binary)} binary, ` +
        `llama.cpp ${result.env.llamaCppRelease}, libuv pool ${result.env.uvThreadpoolSize ?? "?"}`;
}


interface SummaryRow {
    model: string,
    fa: number,
    threads: number,
    test: string,
    nativeMedian: number,
    engineMedian: number,
    /** engineMedian / nativeMedian over the rounds used. */
    ratio: number,
    /** The fastest sample of each side over the rounds used, and their ratio (see bestRatio's note). */
    nativeBest: number,
    engineBest: number,
    bestRatio: number,
    /** Min and max of the per-round ratios (each round: engine median / native median). */
    ratioMin: number,
    ratioMax: number,
    roundsUsed: number,
    rounds: number,
    /** Whether only quiet rounds were used (false: none was quiet, all were used). */
    quietOnly: boolean,
    /** With --with-plain: the bare node-llama-cpp loop's median and its ratio to native. */
    plainMedian?: number,
    plainRatio?: number
}

function summarise(cells: Cell[], settings: Settings): SummaryRow[] {
    const rows: SummaryRow[] = [];
    for (const cell of cells) {
        const quiet = cell.rounds.filter((round) =>
            [round.native, round.engine, round.plain].every((side) => (side?.background ?? 0) <= settings.maxBackground));
        const used = quiet.length > 0 ? quiet : cell.rounds;
        for (const test of ["pp", "tg", "decode"] as const) {
            const pick = (measurement: Measurement) => test === "pp" ? measurement.ppTps : test === "tg" ? measurement.tgTps : measurement.tgDecodeTps;
            const nativeMedian = median(used.flatMap((round) => pick(round.native)));
            const engineMedian = median(used.flatMap((round) => pick(round.engine)));
            const perRound = used.map((round) => median(pick(round.engine)) / median(pick(round.native)));
            // On a shared host the neighbours' load only ever slows a sample down, so each side's fastest
            // sample estimates its unhindered speed; with the same number of samples on both sides the
            // ratio of the two is fair, and far steadier than the medians when the host is busy.
            const nativeBest = Math.max(...used.flatMap((round) => pick(round.native)));
            const engineBest = Math.max(...used.flatMap((round) => pick(round.engine)));
            const plain = used.flatMap((round) => round.plain != null ? pick(round.plain) : []);
            const plainMedian = plain.length > 0 ? median(plain) : undefined;
            rows.push({
                model: path.basename(cell.model), fa: cell.flashAttention ? 1 : 0, threads: cell.threads,
                test: test === "pp" ? `pp${settings.nPrompt}` : `tg${settings.nGen}@d${settings.nPrompt} ${test === "tg" ? "e2e" : "decode"}`,
                nativeMedian, engineMedian, ratio: engineMedian / nativeMedian,
                nativeBest, engineBest, bestRatio: engineBest / nativeBest,
                ratioMin: Math.min(...perRound), ratioMax: Math.max(...perRound),
                roundsUsed: used.length, rounds: cell.rounds.length, quietOnly: quiet.length > 0,
                ...(plainMedian != null ? {plainMedian, plainRatio: plainMedian / nativeMedian} : {})
            });
        }
    }
    return rows;
}

function printSummary(rows: SummaryRow[]) {
    const header = ["model", "fa", "threads", "test", "native t/s", "LlamaMeter t/s", "ratio", "per-round ratios",
        "native best", "LlamaMeter best", "best ratio", "rounds used"];
    const withPlain = rows.some((row) => row.plainMedian != null);
    if (withPlain)
        header.push("plain loop t/s", "plain / native", "LlamaMeter / plain");
    const lines = rows.map((row) => [
        row.model, String(row.fa), String(row.threads), row.test,
        row.nativeMedian.toFixed(2), row.engineMedian.toFixed(2), row.ratio.toFixed(3),
        `${row.ratioMin.toFixed(2)}-${row.ratioMax.toFixed(2)}`,
        row.nativeBest.toFixed(2), row.engineBest.toFixed(2), row.bestRatio.toFixed(3),
        `${row.roundsUsed}/${row.rounds}${row.quietOnly ? " quiet" : " (none quiet: all)"}`,
        ...(withPlain ? [row.plainMedian?.toFixed(2) ?? "-", row.plainRatio?.toFixed(3) ?? "-",
            row.plainMedian != null ? (row.engineMedian / row.plainMedian).toFixed(3) : "-"] : [])
    ]);
    const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
    const format = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
    console.log(format(header));
    console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
    for (const line of lines)
        console.log(format(line));
    // The goals: decode and prompt processing >= 0.9 of llama-bench (aiming at 0.97), end to end >= 0.8 (it
    // also pays for sampling and the binding, which llama-bench does not do).
    const goalOf = (row: SummaryRow) => row.test.endsWith(" e2e") ? 0.8 : 0.9;
    const missed = (pick: (row: SummaryRow) => number) => rows.filter((row) => pick(row) < goalOf(row))
        .map((row) => `${row.model} fa${row.fa} t${row.threads} ${row.test} ${pick(row).toFixed(3)}`);
    for (const [name, pick] of [["median", (row: SummaryRow) => row.ratio], ["best", (row: SummaryRow) => row.bestRatio]] as const) {
        const below = missed(pick);
        console.log(`goal LlamaMeter/native >= 0.9 (pp, decode), >= 0.8 (e2e) by ${name}: ` +
            (below.length === 0 ? `met in all ${rows.length} cells` : `missed in ${below.length} of ${rows.length}: ${below.join(", ")}`));
    }
    const aim = rows.filter((row) => !row.test.endsWith(" e2e") && row.ratio < 0.97);
    console.log(`aim >= 0.97 (pp, decode) by median: ${aim.length === 0 ? "met" : `below in ${aim.map((row) => `${row.model} t${row.threads} fa${row.fa} ${row.test} ${row.ratio.toFixed(3)}`).join(", ")}`}`);
}

async function main() {
    // the thread sweep goes up to the physical cores, counted as the product counts them
    const physicalCores = physicalCoresOf(await getHardwareProfile({bandwidth: "skip"}));
    const settings = parseSettings(physicalCores);
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());

    let lastPercent = -1;
    const build = await buildLlamaBench({
        signal: controller.signal,
        onProgress: (progress) => {
            if (progress.done == null || progress.total == null)
                return;
            const percent = Math.floor(progress.done / progress.total * 100);
            if (percent !== lastPercent)
                process.stderr.write(`\rbuilding llama-bench (${progress.phase}): ${percent}%   `);
            lastPercent = percent;
        }
    });
    process.stderr.write(`\nllama-bench: ${build.binaryPath} (${build.reused ? "cached" : "built"}; ${build.compiler.note}; OpenMP ${build.openmp ? "on" : "off"})\n`);

    const models: string[] = [];
    for (const name of settings.models)
        models.push(await resolveModel(name));

    // llama-bench over the same CPU kernels as LlamaMeter's runner, as the product's native engine runs it
    // (sameKernelsLibDir): one short run tells which prebuilt library ggml loads. --own-kernels keeps the build's.
    if (settings.nativeLibDir == null && !settings.ownKernels) {
        const [probe] = await runSweep({models: [models[0]!], gpuLayers: [0], threads: [1], batchSizes: [settings.batch], nPrompt: [1], nGen: [1],
            reps: 1, flashAttention: [false]}, {gpu: "cpu", binary: settings.binary});
        const cpuLibrary = probe?.env.binary.cpuLibrary;
        settings.nativeLibDir = cpuLibrary != null ? await sameKernelsLibDir(cpuLibrary) ?? undefined : undefined;
        process.stderr.write(settings.nativeLibDir != null ? `llama-bench runs over LlamaMeter's CPU kernels: ${cpuLibrary}\n`
            : "llama-bench runs over its own CPU kernels (LlamaMeter's could not be linked in)\n");
    }

    const cells = new Map<string, Cell>();
    for (let round = 0; round < settings.rounds; round++) {
        for (const model of models) {
            for (const threads of settings.threads) {
                for (const flashAttention of settings.flashAttention) {
                    controller.signal.throwIfAborted();
                    // One (threads, fa) pair at a time, so each half lasts seconds, not minutes: a neighbour's
                    // burst on a shared host then lands on both sides about as often. Alternate who goes
                    // first so a slow drift of the machine favours neither.
                    const load = await waitForQuietCpu({maxCores: settings.maxBackground, timeoutMs: 60_000, signal: controller.signal});
                    const sides = {
                        native: () => runNative(build, model, threads, flashAttention, settings),
                        engine: () => runEngine(model, threads, flashAttention, settings),
                        plain: settings.withPlain ? () => runPlain(model, threads, flashAttention, settings) : null
                    };
                    const order = (["native", "engine", "plain"] as const).filter((side) => sides[side] != null);
                    const shift = (round + (flashAttention ? 1 : 0)) % order.length;
                    const measured: Partial<Record<typeof order[number], Measurement>> = {};
                    for (const side of [...order.slice(shift), ...order.slice(0, shift)])
                        measured[side] = await sides[side]!();
                    const pair = {native: measured.native!, engine: measured.engine!, ...(measured.plain != null ? {plain: measured.plain} : {})};
                    const key = `${model}|${threads}|${flashAttention}`;
                    const cell = cells.get(key) ?? {model, threads, flashAttention, rounds: []};
                    cells.set(key, cell);
                    cell.rounds.push(pair);
                    process.stderr.write(`round ${round + 1}/${settings.rounds} ${path.basename(model)} t=${threads} fa=${flashAttention ? 1 : 0}: ` +
                        `pp native ${median(pair.native.ppTps).toFixed(2)} / LlamaMeter ${median(pair.engine.ppTps).toFixed(2)}, ` +
                        `tg native ${median(pair.native.tgTps).toFixed(2)} / LlamaMeter decode ${median(pair.engine.tgDecodeTps).toFixed(2)}, e2e ${median(pair.engine.tgTps).toFixed(2)} t/s` +
                        (pair.plain != null ? ` (plain loop: pp ${median(pair.plain.ppTps).toFixed(2)}, tg ${median(pair.plain.tgTps).toFixed(2)}) ` : " ") +
                        `(background before ${load?.toFixed(2) ?? "?"}, during ${[pair.native, pair.engine, pair.plain].filter((side) => side != null).map((side) => side.background?.toFixed(2) ?? "?").join(" / ")} cores)\n`);
                }
            }
        }
    }

    const rows = summarise([...cells.values()], settings);
    const first = [...cells.values()][0]!.rounds[0]!;
    console.log(`\nP=${settings.nPrompt} N=${settings.nGen} batch=${settings.batch} (ubatch=${settings.batch}, capped at the context: see below) reps=${settings.reps} rounds=${settings.rounds}, ` +
        `over the rounds whose background load stayed <= ${settings.maxBackground} cores on both sides; ratio = LlamaMeter / native`);
    console.log(`native:     ${first.native.binary}; context ${first.native.context}`);
    console.log(`LlamaMeter: ${first.engine.binary}; context ${first.engine.context}`);
    if (first.plain != null)
        console.log(`plain loop: ${first.plain.binary}; context ${first.plain.context}`);
    console.log(`machine:    ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, ${physicalCores} physical cores, ${os.platform()} ${os.release()}\n`);
    printSummary(rows);

    if (settings.out != null) {
        await mkdir(path.dirname(path.resolve(settings.out)), {recursive: true});
        await writeFile(settings.out, JSON.stringify({settings, build, summary: rows, cells: [...cells.values()]}, null, 2));
        process.stderr.write(`\nwrote ${settings.out}\n`);
    }
}

await main();
