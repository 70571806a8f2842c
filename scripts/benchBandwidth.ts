// Compares LlamaMeter's JS bandwidth probe (src-main/engine/hardware/measureBandwidth.ts) with a STREAM-style
// C reference (scripts/bandwidth/stream.c) compiled here with the machine's compiler, run alternately so both
// see the same machine state. Run: npm run bench:bandwidth [-- --rounds 3]
// Byte conventions (both sides, as STREAM): read counts the bytes read; copy counts read + write (2 x the
// bytes copied); triad (C only) counts 3 x the array bytes. GB = 1e9 bytes.
import {execFile} from "node:child_process";
import {mkdir, stat} from "node:fs/promises";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {promisify} from "node:util";
import {measureBandwidth} from "../src-main/engine/hardware/measureBandwidth.js";

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const source = path.join(here, "bandwidth", "stream.c");
const binary = path.join(root, ".cache", "bandwidth", "stream");

interface StreamResult {
    threads: number,
    arrayBytes: number,
    readGBs: number,
    copyGBs: number,
    triadGBs: number
}

async function compileReference(): Promise<void> {
    await mkdir(path.dirname(binary), {recursive: true});
    const fresh = await stat(binary).then((b) => stat(source).then((s) => b.mtimeMs >= s.mtimeMs), () => false);
    if (fresh)
        return;
    const cc = process.env.CC ?? "cc";
    const args = ["-O3", "-march=native", "-fopenmp", source, "-o", binary];
    console.log(`compiling: ${cc} ${args.join(" ")}`);
    await run(cc, args);
}

async function runReference(threads: number, arrayBytes: number, reps: number): Promise<StreamResult> {
    const {stdout} = await run(binary, [String(threads), String(arrayBytes), String(reps)], {
        env: {...process.env, OMP_PROC_BIND: "spread", OMP_NUM_THREADS: String(threads)}
    });
    return JSON.parse(stdout.trim()) as StreamResult;
}

function parseRounds(): number {
    const index = process.argv.indexOf("--rounds");
    const value = index >= 0 ? Number(process.argv[index + 1]) : 3;
    return Number.isInteger(value) && value > 0 ? value : 3;
}

const fmt = (value: number) => value.toFixed(2).padStart(7);
const ratio = (probe: number, reference: number) => (reference > 0 ? (probe / reference).toFixed(3) : "n/a");

async function main(): Promise<void> {
    await compileReference();
    const rounds = parseRounds();
    // One probe run first fixes the thread count and buffer size both sides use.
    const first = await measureBandwidth();
    const threads = first.threads;
    const arrayBytes = first.bufferBytes;
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(`threads (all-cores run): ${threads}; probe: ${mib(arrayBytes)} for the single thread, the other threads ` +
        `add their share (${mib(Math.max(16 * 2 ** 20, arrayBytes / threads))} each), each with a copy destination; ` +
        `C: 3 arrays of ${mib(arrayBytes)} split over the threads`);
    console.log("GB/s (1e9 bytes/s); copy counts read + write bytes on both sides.\n");
    console.log("round  side      read1  readAll    copy1  copyAll   triad1 triadAll");

    const best = {probe: {read1: 0, readAll: 0, copy1: 0, copyAll: 0}, c: {read1: 0, readAll: 0, copy1: 0, copyAll: 0}};
    for (let round = 1; round <= rounds; round++) {
        const one = await runReference(1, arrayBytes, 5);
        const all = await runReference(threads, arrayBytes, 5);
        console.log(`${String(round).padStart(5)}  C      ${fmt(one.readGBs)}  ${fmt(all.readGBs)}  ${fmt(one.copyGBs)}  ${fmt(all.copyGBs)}  ${fmt(one.triadGBs)}  ${fmt(all.triadGBs)}`);
        const probe = round === 1 ? first : await measureBandwidth({threads, bufferBytes: arrayBytes});
        console.log(`${String(round).padStart(5)}  probe  ${fmt(probe.read1GBs)}  ${fmt(probe.readAllGBs)}  ${fmt(probe.copy1GBs)}  ${fmt(probe.copyAllGBs)}      -        -     (${probe.durationMs} ms)`);
        best.c.read1 = Math.max(best.c.read1, one.readGBs);
        best.c.readAll = Math.max(best.c.readAll, all.readGBs);
        best.c.copy1 = Math.max(best.c.copy1, one.copyGBs);
        best.c.copyAll = Math.max(best.c.copyAll, all.copyGBs);
        best.probe.read1 = Math.max(best.probe.read1, probe.read1GBs);
        best.probe.readAll = Math.max(best.probe.readAll, probe.readAllGBs);
        best.probe.copy1 = Math.max(best.probe.copy1, probe.copy1GBs);
        best.probe.copyAll = Math.max(best.probe.copyAll, probe.copyAllGBs);
    }
    console.log("\nbest of rounds      read1  readAll    copy1  copyAll");
    console.log(`C reference      ${fmt(best.c.read1)}  ${fmt(best.c.readAll)}  ${fmt(best.c.copy1)}  ${fmt(best.c.copyAll)}`);
    console.log(`JS probe         ${fmt(best.probe.read1)}  ${fmt(best.probe.readAll)}  ${fmt(best.probe.copy1)}  ${fmt(best.probe.copyAll)}`);
    console.log(`probe / C        ${ratio(best.probe.read1, best.c.read1).padStart(7)}  ${ratio(best.probe.readAll, best.c.readAll).padStart(7)}  ` +
        `${ratio(best.probe.copy1, best.c.copy1).padStart(7)}  ${ratio(best.probe.copyAll, best.c.copyAll).padStart(7)}`);
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
});
