// A row's energy figures from its repetitions' counters.
import type {EnergyRecord, RepSample} from "../types.js";

/**
 * energy_j (mean over repetitions of prefill + generation joules) and tokens per joule (all generated tokens over
 * all generation joules), from a meter that read `source`. The figures need every repetition's reading: a row whose
 * repetitions were read only in part leaves them empty and says so.
 */
export function energyOf(samples: readonly RepSample[], meter: {source: string | null, note?: string}): EnergyRecord {
    const read = samples.filter((s) => s.ppEnergyJ != null && s.tgEnergyJ != null);
    const notes = meter.note != null ? [meter.note] : [];
    if (meter.source != null && read.length < samples.length)
        notes.push(`energy not read in ${samples.length - read.length} of ${samples.length} repetitions: left empty`);
    const complete = meter.source != null && samples.length > 0 && read.length === samples.length;
    const generated = samples.reduce((sum, s) => sum + s.genTokens, 0);
    const tgJoules = read.reduce((sum, s) => sum + s.tgEnergyJ!, 0);
    return {
        joules: complete ? read.reduce((sum, s) => sum + s.ppEnergyJ! + s.tgEnergyJ!, 0) / read.length : null,
        tokensPerJoule: complete && generated > 0 && tgJoules > 0 ? generated / tgJoules : null,
        source: meter.source,
        ...(notes.length > 0 ? {note: notes.join("; ")} : {})
    };
}
