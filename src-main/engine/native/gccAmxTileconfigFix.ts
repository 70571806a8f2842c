/**
 * A header force-included (-include) into llama.cpp's C++ sources when building with GCC 12 or older on a CPU with
 * AMX. Those GCC versions declare _tile_loadconfig's asm operand as 8 bytes, so the optimiser drops the stores that
 * fill the 64-byte tile configuration and ldtilecfg faults (SIGSEGV in ggml_backend_amx_mul_mat, seen on a Sapphire
 * Rapids VM with GCC 12.2). The macro, defined after the intrinsic's declaration, says all 64 bytes are read.
 * Kept as text and written beside the build, so a compiled (dist/) LlamaMeter has it too.
 */
export const gccAmxTileconfigFixHeader = `#ifndef LLAMAMETER_GCC_AMX_TILECONFIG_FIX_H
#define LLAMAMETER_GCC_AMX_TILECONFIG_FIX_H
#if defined(__cplusplus) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ <= 12 && defined(__x86_64__)
#include <immintrin.h>
#define _tile_loadconfig(config) __asm__ volatile("ldtilecfg\\t%X0" :: "m"(*(const unsigned char (*)[64])(config)))
#endif
#endif
`;
