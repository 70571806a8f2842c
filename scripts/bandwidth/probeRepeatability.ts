// How repeatable the bandwidth probe is: runs measureBandwidth (src-main/engine/hardware/measureBandwidth.ts) several
// times in a row, as the app does at start, and prints each run's figures, its own spread across windows, the
// background load it saw and the load average, then each figure's spread across runs ((max - min) / max).
// The goal (issue 17) is within 5% between runs on a quiet machine; a shared machine's neighbours make it wider,
// which the background-load columns show.
// Run: npx tsx scripts/bandwidth/probeRepeatability.ts [--runs 5] [--reps N] [--window MS] [--windows]
// (--reps and --window set the probe's repetitions and window length, else its defaults; --windows prints every window)
import os from "node:os";
import {measureBandwidth} from "../../src-main/engine/hardware/measureBandwidth.js";
import {BANDWIDTH_KERNELS, type BandwidthMeasurement} from "../../src-main/engine/types.js";

function flag(name: string, fallback: number): number {
    const index = process.argv.indexOf(name);
    const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
    return Number.isInteger(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
    const runs = flag("--runs", 5);
    const reps = flag("--reps", 0);
    const windowMs = flag("--window", 0);
    const printWindows = process.argv.includes("--windows");
    const results: BandwidthMeasurement[] = [];
    console.log("run  loadavg  background  read1   readAll  copy1   copyAll  (GB/s; best quiet window)  windows' spread read1/readAll   ms");
    for (let run = 1; run <= runs; run++) {
        const loadavg = os.loadavg()[0]!;
        const result = await measureBandwidth({...(reps > 0 ? {repetitions: reps} : {}), ...(windowMs > 0 ? {windowMs} : {})});
        results.push(result);
        const spread = result.spread!;
        console.log(`${String(run).padStart(3)}  ${loadavg.toFixed(2).padStart(7)}  ${(result.backgroundCores?.toFixed(2) ?? "?").padStart(10)}  ` +
            BANDWIDTH_KERNELS.map((kernel) => result[`${kernel}GBs`].toFixed(2).padStart(7)).join(" ") +
            `  ${(spread.read1.relative * 100).toFixed(1).padStart(24)}% / ${(spread.readAll.relative * 100).toFixed(1)}%` +
            ` (quiet windows ${spread.read1.quietWindows}/${spread.read1.windowsGBs.length}, ${spread.readAll.quietWindows}/${spread.readAll.windowsGBs.length})  ${result.durationMs}`);
        if (printWindows)
            for (const kernel of BANDWIDTH_KERNELS)
                console.log(`       ${kernel.padEnd(8)} ${spread[kernel].windowsGBs.map((gbs) => gbs.toFixed(2)).join(" ")}` +
                    `  | other processes, cores: ${spread[kernel].backgroundCores.map((load) => load?.toFixed(2) ?? "?").join(" ")}`);
    }
    console.log("\nacross runs, (max - min) / max:");
    for (const kernel of BANDWIDTH_KERNELS) {
        const values = results.map((result) => result[`${kernel}GBs`]);
        const max = Math.max(...values);
        const min = Math.min(...values);
        console.log(`  ${kernel.padEnd(8)} ${min.toFixed(2)}-${max.toFixed(2)} GB/s: ${((max - min) / max * 100).toFixed(1)}%`);
    }
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
});
