// STREAM-style memory bandwidth reference for LlamaMeter's JS probe (scripts/benchBandwidth.ts).
// Kernels: read (sum of a[]), copy (c = a), triad (a = b + s * c). Arrays are far larger than the
// last-level cache; each thread first-touches its own static chunk so pages land near it.
// Byte convention (as STREAM): read counts 8 bytes/element, copy 16 (read + write), triad 24.
// Write-allocate traffic is not counted, as in STREAM.
// Build: cc -O3 -march=native -fopenmp stream.c -o stream
// Usage: stream <threads> <bytes per array> <repetitions>
// Prints one JSON line: {"threads":T,"arrayBytes":N,"readGBs":..,"copyGBs":..,"triadGBs":..} (GB = 1e9 bytes).
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s <threads> <bytes per array> <repetitions>\n", argv[0]);
        return 2;
    }
    int threads = atoi(argv[1]);
    // Whole blocks of 16 elements for the read kernel's partial sums.
    size_t n = ((size_t)atoll(argv[2]) / sizeof(double)) / 16 * 16;
    int reps = atoi(argv[3]);
    if (threads < 1 || n < 1024 || reps < 1) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    omp_set_num_threads(threads);

    double *a = aligned_alloc(64, ((n * sizeof(double) + 63) / 64) * 64);
    double *b = aligned_alloc(64, ((n * sizeof(double) + 63) / 64) * 64);
    double *c = aligned_alloc(64, ((n * sizeof(double) + 63) / 64) * 64);
    if (!a || !b || !c) {
        fprintf(stderr, "allocation failed\n");
        return 1;
    }

    // First touch with the same static schedule the kernels use.
    #pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++) {
        a[i] = 1.0;
        b[i] = 2.0;
        c[i] = 0.0;
    }

    double best[3] = {1e30, 1e30, 1e30};
    volatile double sink = 0.0;
    const double s = 3.0;
    for (int r = 0; r < reps; r++) {
        double t0 = omp_get_wtime();
        double sum = 0.0;
        // 16 independent partial sums per thread (vectorised into several registers), so the add
        // latency chain never limits the read: the loop is bound by memory only.
        #pragma omp parallel reduction(+:sum)
        {
            double part[16] = {0};
            #pragma omp for schedule(static)
            for (size_t i = 0; i < n; i += 16)
                for (int j = 0; j < 16; j++)
                    part[j] += a[i + j];
            for (int j = 0; j < 16; j++)
                sum += part[j];
        }
        double t1 = omp_get_wtime();
        sink += sum;

        #pragma omp parallel for simd schedule(static)
        for (size_t i = 0; i < n; i++)
            c[i] = a[i];
        double t2 = omp_get_wtime();

        #pragma omp parallel for simd schedule(static)
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] + s * c[i];
        double t3 = omp_get_wtime();

        if (t1 - t0 < best[0]) best[0] = t1 - t0;
        if (t2 - t1 < best[1]) best[1] = t2 - t1;
        if (t3 - t2 < best[2]) best[2] = t3 - t2;
    }
    double bytes = (double)n * sizeof(double);
    printf("{\"threads\":%d,\"arrayBytes\":%.0f,\"readGBs\":%.3f,\"copyGBs\":%.3f,\"triadGBs\":%.3f,\"check\":%g}\n",
        threads, bytes, bytes / best[0] / 1e9, 2 * bytes / best[1] / 1e9, 3 * bytes / best[2] / 1e9, sink > 0 ? 1.0 : 0.0);
    free(a);
    free(b);
    free(c);
    return 0;
}
