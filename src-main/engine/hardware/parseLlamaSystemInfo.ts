// Reads the CPU features llama.cpp was built for and detected, from its system-info line, e.g.
// "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 1 | LLAMAFILE = 1 | REPACK = 1 |".
// These are the instruction sets its kernels really use, which is what decides compute speed.

/** Entries that are build options, not instruction sets. */
const NOT_SIMD = new Set(["LLAMAFILE", "REPACK", "OPENMP", "ACCELERATE", "KLEIDIAI", "BLAS", "MATMUL_INT8_ONLY"]);

/** The enabled instruction-set features, in llama.cpp's order and spelling. */
export function parseLlamaSystemInfo(systemInfo: string): string[] {
    const features: string[] = [];
    for (const match of systemInfo.matchAll(/([A-Z][A-Z0-9_]*)\s*=\s*1\b/g)) {
        const name = match[1]!;
        if (!NOT_SIMD.has(name) && !features.includes(name))
            features.push(name);
    }
    return features;
}
