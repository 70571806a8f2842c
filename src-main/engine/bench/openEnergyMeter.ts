// The machine's own energy counters, read by the bench worker around each repetition's prefill and generation:
// RAPL package energy on Linux, and NVIDIA GPUs' power through nvidia-smi. Where none is readable it says why, in
// one line, and reads nothing: an energy figure is measured or absent, never estimated.
import {performance} from "node:perf_hooks";
import {openRaplCounter, type EnergyUnavailable, type RaplCounterOptions} from "./openRaplCounter.js";
import {startNvidiaPowerSampler, type CommandRunner} from "./startNvidiaPowerSampler.js";

/** A point in time and the energy counters' reading then (taken by mark(), synchronous and cheap). */
export interface EnergyMark {
    t: number,
    /** RAPL joules since the meter opened; null without RAPL or when the read failed. */
    raplJ: number | null
}

export interface EnergyMeter {
    /** What is read, sources joined with " + "; null when nothing is. */
    readonly source: string | null,
    /** One line: why nothing is read, or which present source could not be (e.g. a GPU without power readings). */
    readonly note?: string,
    mark(): EnergyMark,
    /** Joules of every source between two marks; null when a source could not cover the interval. */
    joulesBetween(from: EnergyMark, to: EnergyMark): Promise<number | null>,
    close(): void
}

export interface OpenEnergyMeterOptions {
    platform?: NodeJS.Platform,
    /** RAPL's powercap folder and file reader (tests use fixture folders). */
    rapl?: RaplCounterOptions,
    /** Starts nvidia-smi (tests play recorded output). */
    run?: CommandRunner,
    now?: () => number,
    nvidiaIntervalMs?: number
}

/** Opens every energy source this machine has; never throws (a failing source becomes the note). */
export async function openEnergyMeter(options: OpenEnergyMeterOptions = {}): Promise<EnergyMeter> {
    const platform = options.platform ?? process.platform;
    const now = options.now ?? (() => performance.now());
    const rapl = platform === "linux" ? openRaplCounter(options.rapl)
        : {reason: platform === "darwin" ? "macOS gives no energy counter without root (powermetrics needs sudo)"
            : platform === "win32" ? "Windows exposes RAPL only to kernel drivers"
            : `no energy counter known on ${platform}`, absent: true} satisfies EnergyUnavailable;
    // No NVIDIA driver for current macOS.
    const nvidia = platform === "darwin" ? {reason: "no NVIDIA driver on macOS", absent: true} satisfies EnergyUnavailable
        : await startNvidiaPowerSampler({
            ...(options.run != null ? {run: options.run} : {}), now,
            ...(options.nvidiaIntervalMs != null ? {intervalMs: options.nvidiaIntervalMs} : {})
        }).catch((error: unknown) => ({reason: `nvidia-smi: ${(error as Error).message}`, absent: false}) satisfies EnergyUnavailable);

    const counter = "read" in rapl ? rapl : null;
    const sampler = "joulesBetween" in nvidia ? nvidia : null;
    const sources = [counter?.source, sampler?.source].filter((source) => source != null);
    const reasons = [rapl, nvidia].filter((part): part is EnergyUnavailable => "reason" in part);
    // With a source read, only reasons worth fixing are said (a CPU-only machine has no nvidia-smi: nothing to say).
    const said = sources.length === 0 ? reasons : reasons.filter((reason) => !reason.absent);
    const note = said.length === 0 ? undefined : `${sources.length === 0 ? "energy not measured" : "energy incomplete"}: ${said.map((r) => r.reason).join("; ")}`;

    return {
        source: sources.length > 0 ? sources.join(" + ") : null,
        ...(note != null ? {note} : {}),
        mark: () => {
            let raplJ: number | null = null;
            try {
                raplJ = counter?.read() ?? null;
            } catch {
                raplJ = null;
            }
            return {t: now(), raplJ};
        },
        joulesBetween: async (from, to) => {
            if (sources.length === 0)
                return null;
            let joules = 0;
            if (counter != null) {
                if (from.raplJ == null || to.raplJ == null)
                    return null;
                joules += to.raplJ - from.raplJ;
            }
            if (sampler != null) {
                const gpu = await sampler.joulesBetween(from.t, to.t);
                if (gpu == null)
                    return null;
                joules += gpu;
            }
            return joules;
        },
        close: () => {
            counter?.close();
            sampler?.stop();
        }
    };
}
