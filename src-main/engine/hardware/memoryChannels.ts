// How many memory channels are populated, read from the DIMM slots' bank labels as the firmware (SMBIOS,
// via systeminformation's memLayout) names them: "P0 CHANNEL A", "ChannelB-DIMM0", "CHANNEL C DIMM 1".
// Only labels that name a channel count; "BANK 0" says nothing, and then the answer is null, not a guess.

/** Distinct channels among the populated modules' labels, or null when no label names a channel. */
export function memoryChannels(bankLabels: readonly string[]): number | null {
    const channels = new Set<string>();
    for (const label of bankLabels) {
        const match = /channel\s*[-_]?\s*([a-z0-9]+)/i.exec(label);
        if (match != null)
            channels.add(`${/^(p\d+)/i.exec(label.trim())?.[1]?.toUpperCase() ?? ""}${match[1]!.toUpperCase()}`);
    }
    return channels.size > 0 ? channels.size : null;
}
