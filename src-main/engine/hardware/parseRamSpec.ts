// Parses a user's description of their RAM ("DDR5-5600x2", "DDR4-3600, 2 channels", "ddr4 3200 dual")
// into the figures the theoretical bandwidth needs: channels x MT/s x 8 bytes (one 64-bit channel).

export interface RamSpec {
    /** "DDR4", "DDR5", "LPDDR5X", ... upper case; null when the text names no type. */
    type: string | null,
    /** Transfer rate, mega-transfers per second (the number in "DDR4-3200"). */
    mts: number,
    channels: number,
    /** channels x MT/s x 8 bytes / 1000, GB/s (1e9 bytes/s). */
    theoreticalGBs: number
}

const WORD_CHANNELS: Record<string, number> = {
    single: 1, dual: 2, triple: 3, quad: 4, hexa: 6, six: 6, octa: 8, eight: 8, twelve: 12
};

/** Theoretical DRAM bandwidth in GB/s: channels x MT/s x 8 bytes per transfer. */
export function theoreticalBandwidthGBs(mts: number, channels: number): number {
    return Math.round(channels * mts * 8) / 1000;
}

/** Returns null when no transfer rate can be read from the text. Channels default to 1 when unstated.
 *  Accepts "DDR5-5600x2", "DDR4-3600, 2 channels", "ddr4 3200 dual", "2x DDR4-3200", "LPDDR5X 8533 MT/s 8ch". */
export function parseRamSpec(text: string): RamSpec | null {
    let rest = ` ${text.trim().toLowerCase()} `;

    // The type first, so its generation digit is not read as a rate or a channel count.
    let type: string | null = null;
    const typeMatch = /(lp)?ddr\s*(\d)(x)?/.exec(rest);
    if (typeMatch != null) {
        type = `${typeMatch[1] ?? ""}ddr${typeMatch[2]}${typeMatch[3] ?? ""}`.toUpperCase();
        rest = rest.slice(0, typeMatch.index) + " " + rest.slice(typeMatch.index + typeMatch[0].length);
    }

    // The rate: the first 3-5 digit number, optionally followed by MT/s or MHz (as marketed: MT/s).
    const rateMatch = /(\d{3,5})\s*(?:mt\/?s|mhz)?/.exec(rest);
    if (rateMatch == null)
        return null;
    const mts = Number(rateMatch[1]);
    if (mts < 200 || mts > 20000)
        return null;
    rest = rest.slice(0, rateMatch.index) + " " + rest.slice(rateMatch.index + rateMatch[0].length);

    let channels = 1;
    const counted = /(\d{1,2})\s*-?\s*(?:ch\b|chan|channels?\b)/.exec(rest)
        ?? /[x*×]\s*(\d{1,2})\b/.exec(rest)
        ?? /\b(\d{1,2})\s*[x*×]/.exec(rest)
        ?? /channels?\s*[:=]?\s*(\d{1,2})\b/.exec(rest);
    const word = /\b(single|dual|triple|quad|hexa|six|octa|eight|twelve)\b/.exec(rest);
    if (counted != null)
        channels = Number(counted[1]);
    else if (word != null)
        channels = WORD_CHANNELS[word[1]!] ?? 1;
    if (!Number.isInteger(channels) || channels < 1 || channels > 24)
        return null;

    return {type, mts, channels, theoreticalGBs: theoreticalBandwidthGBs(mts, channels)};
}
