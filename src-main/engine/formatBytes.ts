// The one way LlamaMeter writes a size: 1024-based units (KiB, MiB, GiB), as llama.cpp prints model and buffer
// sizes and as operating systems report RAM and VRAM, to three significant figures. Bandwidth stays in GB/s
// (1e9 bytes/s), as spec sheets and STREAM give it. Plain code: the renderer uses it too.

/** 1 536 000 000 -> "1.43 GiB", 17 790 000 -> "17.0 MiB", 512 -> "512 B"; `missing` for null or non-finite. */
export function formatBytes(bytes: number | null | undefined, missing = ""): string {
    if (bytes == null || !Number.isFinite(bytes))
        return missing;
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let value = bytes;
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    const abs = Math.abs(value);
    return `${value.toFixed(unit === 0 || abs >= 100 ? 0 : abs >= 10 ? 1 : 2)} ${units[unit]}`;
}
