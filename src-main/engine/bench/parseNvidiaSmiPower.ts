// nvidia-smi's power readings, as `nvidia-smi --query-gpu=index,power.draw --format=csv,noheader,nounits` prints them.

/** One GPU's reading: watts, or null where the driver says the GPU does not report it ("[N/A]", "[Not Supported]"). */
export interface NvidiaPowerReading {
    gpu: number,
    watts: number | null
}

/** One output line ("0, 35.42"); null for a line that is not a reading (blank, or an error message). */
export function parseNvidiaSmiPowerLine(line: string): NvidiaPowerReading | null {
    const match = /^\s*(\d+)\s*,\s*(.+?)\s*$/.exec(line);
    if (match == null)
        return null;
    const gpu = Number(match[1]);
    const value = match[2]!;
    if (/^\[?(N\/A|Not Supported|Unknown Error)\]?$/i.test(value))
        return {gpu, watts: null};
    if (!/^\d+(\.\d+)?$/.test(value))
        return null;
    return {gpu, watts: Number(value)};
}
