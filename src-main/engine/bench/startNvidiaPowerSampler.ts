// NVIDIA GPUs' power, sampled with nvidia-smi while a test runs, for the energy of each repetition. NVML's total
// energy counter would need a native binding; nvidia-smi ships with every NVIDIA driver.
import {spawn} from "node:child_process";
import {performance} from "node:perf_hooks";
import {integratePower, type PowerSample} from "./integratePower.js";
import {parseNvidiaSmiPowerLine} from "./parseNvidiaSmiPower.js";
import type {EnergyUnavailable} from "./openRaplCounter.js";

/** A running command as the sampler uses it: its output, its end, and a way to stop it. */
export interface RunningCommand {
    stdout: {on(event: "data", listener: (chunk: Buffer | string) => void): unknown} | null,
    stderr?: {on(event: "data", listener: (chunk: Buffer | string) => void): unknown} | null,
    on(event: "error", listener: (error: Error) => void): unknown,
    on(event: "exit", listener: (code: number | null) => void): unknown,
    kill(): unknown
}

/** Starts a command (default: child_process.spawn); tests pass one that plays recorded output. */
export type CommandRunner = (command: string, args: readonly string[]) => RunningCommand;

export interface NvidiaPowerSamplerOptions {
    run?: CommandRunner,
    /** The clock of the marks (default performance.now). */
    now?: () => number,
    /** nvidia-smi's loop period, ms (-lms). */
    intervalMs?: number,
    /** How long to wait for the first reading of every GPU. */
    startTimeoutMs?: number
}

export interface NvidiaPowerSampler {
    /** e.g. "nvidia-smi power.draw of GPU 0, sampled every 100 ms". */
    readonly source: string,
    /**
     * Joules of all GPUs between two times of `now` (ms); waits for each GPU's first reading at or after `to`
     * (up to a few sample periods), null when the readings do not span the interval.
     */
    joulesBetween(from: number, to: number): Promise<number | null>,
    stop(): void
}

export const nvidiaSmiArgs = (intervalMs: number) => ["--query-gpu=index,power.draw", "--format=csv,noheader,nounits", "-lms", String(intervalMs)];

const defaultRunner: CommandRunner = (command, args) => spawn(command, [...args], {stdio: ["ignore", "pipe", "pipe"], windowsHide: true});

/**
 * Starts `nvidia-smi --query-gpu=index,power.draw -lms 100` and keeps each GPU's readings with their arrival time.
 * Resolves once every GPU has reported (the first GPU's second reading closes the round), or with the reason it
 * cannot sample: no nvidia-smi (no NVIDIA driver), the driver not answering, or GPUs that do not report power.
 * If the worker dies, nvidia-smi's next write fails on the closed pipe and it exits.
 */
export function startNvidiaPowerSampler(options: NvidiaPowerSamplerOptions = {}): Promise<NvidiaPowerSampler | EnergyUnavailable> {
    const now = options.now ?? (() => performance.now());
    const intervalMs = options.intervalMs ?? 100;
    const byGpu = new Map<number, PowerSample[]>();
    const unsupported = new Set<number>();
    const waiters = new Set<() => void>();
    let round: number[] | null = null;
    let partial = "";
    let stderr = "";
    let ended: string | null = null;

    return new Promise((resolve) => {
        let settled = false;
        const settle = (value: NvidiaPowerSampler | EnergyUnavailable) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(startTimer);
            if ("reason" in value)
                child?.kill();
            resolve(value);
        };
        let child: RunningCommand | null = null;
        const startTimer = setTimeout(() => settle({reason: `nvidia-smi gave no power reading within ${(options.startTimeoutMs ?? 5000) / 1000} s`, absent: false}),
            options.startTimeoutMs ?? 5000);
        try {
            child = (options.run ?? defaultRunner)("nvidia-smi", nvidiaSmiArgs(intervalMs));
        } catch (error) {
            settle(unavailable(error as Error));
            return;
        }
        child.on("error", (error) => {
            ended = error.message;
            settle(unavailable(error));
            wake();
        });
        child.on("exit", (code) => {
            ended = `nvidia-smi exited (code ${code})`;
            const said = stderr.trim().split("\n")[0]?.trim();
            settle({reason: `nvidia-smi exited with code ${code}${said ? `: ${said}` : ""}`, absent: false});
            wake();
        });
        child.stderr?.on("data", (chunk) => {
            stderr += String(chunk);
        });
        child.stdout?.on("data", (chunk) => {
            const at = now();
            const lines = (partial + String(chunk)).split("\n");
            partial = lines.pop() ?? "";
            for (const line of lines) {
                const reading = parseNvidiaSmiPowerLine(line);
                if (reading == null)
                    continue;
                if (round != null && !settled && reading.gpu === round[0])
                    finishRound();
                round ??= [];
                if (!settled && !round.includes(reading.gpu))
                    round.push(reading.gpu);
                if (reading.watts == null)
                    unsupported.add(reading.gpu);
                else {
                    const samples = byGpu.get(reading.gpu) ?? [];
                    samples.push({t: at, watts: reading.watts});
                    byGpu.set(reading.gpu, samples);
                }
            }
            wake();
        });

        function finishRound() {
            const measured = round!.filter((gpu) => !unsupported.has(gpu));
            if (measured.length < round!.length) {
                settle({reason: `nvidia-smi: GPU ${round!.filter((gpu) => unsupported.has(gpu)).join(", ")} does not report power.draw`, absent: false});
                return;
            }
            settle({
                source: `nvidia-smi power.draw of GPU ${measured.join(", ")}, sampled every ${intervalMs} ms`,
                joulesBetween,
                stop: () => {
                    ended = "stopped";
                    child?.kill();
                    wake();
                }
            });
        }
    });

    function wake() {
        for (const waiter of waiters)
            waiter();
    }

    async function joulesBetween(from: number, to: number): Promise<number | null> {
        // a reading arrives each interval; a few of them and a second's grace, then give up (on the wall clock:
        // `now` only has to order the readings and the marks)
        const deadline = Date.now() + intervalMs * 3 + 1000;
        const spans = () => [...byGpu.values()].every((samples) => samples.length > 0 && samples[samples.length - 1]!.t >= to);
        while (!spans() && ended == null && Date.now() < deadline) {
            await new Promise<void>((resolve) => {
                const timer = setTimeout(done, intervalMs);
                function done() {
                    clearTimeout(timer);
                    waiters.delete(done);
                    resolve();
                }
                waiters.add(done);
            });
        }
        let joules = 0;
        for (const samples of byGpu.values()) {
            const gpuJoules = integratePower(samples, from, to);
            if (gpuJoules == null)
                return null;
            joules += gpuJoules;
        }
        return byGpu.size > 0 ? joules : null;
    }
}

function unavailable(error: Error): EnergyUnavailable {
    return (error as NodeJS.ErrnoException).code === "ENOENT"
        ? {reason: "no nvidia-smi on the PATH (no NVIDIA driver)", absent: true}
        : {reason: `nvidia-smi: ${error.message}`, absent: false};
}
