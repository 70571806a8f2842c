// What llama.cpp placed where, from its load and context log lines:
//   load_tensors: offloaded 17/17 layers to GPU
//   load_tensors:      Vulkan0 model buffer size =    93.38 MiB
//   llama_kv_cache:    Vulkan0 KV buffer size =     8.00 MiB
//   sched_reserve:     Vulkan0 compute buffer size =    36.50 MiB
// Host-side buffers (CPU, CPU_Mapped, CPU_REPACK, AMX, <backend>_Host pinned memory) are RAM; every other
// buffer is on a device.

export interface LlamaBuffers {
    /** MiB-exact bytes per buffer name ("Vulkan0", "CPU_Mapped", ...) and kind. */
    buffers: Array<{name: string, kind: "model" | "KV" | "compute" | "output" | "RS", bytes: number}>,
    /** "offloaded X/Y layers to GPU", when logged. */
    offloaded?: {layers: number, total: number}
}

const bufferLine = /\b([\w.-]+)\s+(model|KV|compute|output|RS) buffer size\s*=\s*([\d.]+) MiB/;

export function parseLlamaBuffers(lines: readonly string[]): LlamaBuffers {
    const result: LlamaBuffers = {buffers: []};
    for (const line of lines) {
        const buffer = bufferLine.exec(line);
        if (buffer != null) {
            result.buffers.push({name: buffer[1]!, kind: buffer[2] as LlamaBuffers["buffers"][number]["kind"], bytes: Math.round(Number(buffer[3]) * 1024 * 1024)});
            continue;
        }
        const offloaded = /offloaded (\d+)\/(\d+) layers to GPU/.exec(line);
        if (offloaded != null)
            result.offloaded = {layers: Number(offloaded[1]), total: Number(offloaded[2])};
    }
    return result;
}

/** Whether a buffer lives in host RAM (CPU buffers, repacked copies, a backend's pinned host memory). */
export function isHostBuffer(name: string): boolean {
    return /^(CPU|AMX|KleidiAI)/i.test(name) || /_Host$|REPACK|_Mapped$/i.test(name);
}

/** Bytes of the device buffers, per device name, and their sum. */
export function deviceBufferBytes(buffers: LlamaBuffers["buffers"]): {total: number, byDevice: Record<string, number>} {
    const byDevice: Record<string, number> = {};
    for (const buffer of buffers)
        if (!isHostBuffer(buffer.name))
            byDevice[buffer.name] = (byDevice[buffer.name] ?? 0) + buffer.bytes;
    return {total: Object.values(byDevice).reduce((sum, bytes) => sum + bytes, 0), byDevice};
}
