// The one check of a sweep, whoever builds it: the API validates the renderer's with it, the engine service
// validates the CLI's. Each list is capped here; their product is capped by assertSweepSize.
import {z} from "zod";
import {ENGINES, KV_CACHE_TYPES, type SweepSpec} from "../types.js";

const gpuLayers = z.union([z.number().int().min(0).max(1000), z.literal("max")]);
const positiveInts = (max: number) => z.array(z.number().int().min(1).max(max)).min(1).max(32);

export const sweepSpecSchema = z.object({
    models: z.array(z.string().min(1).max(4096)).min(1).max(32),
    gpuLayers: z.array(gpuLayers).min(1).max(64),
    threads: z.array(z.union([z.number().int().min(1).max(1024), z.literal("auto")])).min(1).max(32),
    batchSizes: positiveInts(65536),
    nPrompt: z.array(z.number().int().min(0).max(65536)).min(1).max(32),
    nGen: z.array(z.number().int().min(0).max(65536)).min(1).max(32),
    reps: z.number().int().min(1).max(100),
    flashAttention: z.array(z.boolean()).min(1).max(2),
    contextSize: z.number().int().min(16).max(1 << 20).optional(),
    engines: z.array(z.enum(ENGINES)).min(1).max(2).optional(),
    nativeWhereShort: z.boolean().optional(),
    gpuDevice: z.string().min(1).max(200).optional(),
    gpuBandwidthGBs: z.number().positive().max(100_000).optional(),
    vramBudgetBytes: z.number().int().min(1).max(2 ** 50).optional(),
    nDepth: z.array(z.number().int().min(0).max(1 << 20)).min(1).max(32).optional(),
    cacheTypeK: z.array(z.enum(KV_CACHE_TYPES)).min(1).max(KV_CACHE_TYPES.length).optional(),
    cacheTypeV: z.array(z.enum(KV_CACHE_TYPES)).min(1).max(KV_CACHE_TYPES.length).optional(),
    ubatchSizes: positiveInts(65536).optional(),
    useMmap: z.array(z.boolean()).min(1).max(2).optional()
}) satisfies z.ZodType<SweepSpec>;
