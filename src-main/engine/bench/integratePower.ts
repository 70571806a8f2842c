// Energy from sampled power: what a power reading (nvidia-smi's power.draw) gives where no energy counter is read.

/** A power reading and when it arrived (ms, on the clock the marks use). */
export interface PowerSample {
    t: number,
    watts: number
}

/**
 * Joules between `from` and `to` (ms): the power linearly interpolated between consecutive samples, integrated
 * (trapezoids, cut at from and to). Samples must be in time order. Null unless a sample lies at or before `from`
 * and one at or after `to`: outside the samples the power is unknown, and is not extrapolated.
 */
export function integratePower(samples: readonly PowerSample[], from: number, to: number): number | null {
    if (!(to >= from) || samples.length === 0 || samples[0]!.t > from || samples[samples.length - 1]!.t < to)
        return null;
    let joules = 0;
    for (let i = 1; i < samples.length; i++) {
        const a = samples[i - 1]!;
        const b = samples[i]!;
        const start = Math.max(a.t, from);
        const end = Math.min(b.t, to);
        if (end <= start)
            continue;
        const at = (t: number) => a.watts + (b.watts - a.watts) * (t - a.t) / (b.t - a.t);
        joules += (at(start) + at(end)) / 2 * (end - start) / 1000;
    }
    return joules;
}
