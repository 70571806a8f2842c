// The one answer to "does this configuration fit?", for the fit advisor (fitModel: a verdict in the Models
// table, the plan and `predict`) and the bench worker's check before a load (checkModelFits: a one-line refusal).
// Both give it their own estimate function (estimateMemory, with the options the run will use) and their budgets
// (the hardware profile's, or the live free memory); the rule is here once.

/** What a configuration needs, from estimateMemory. */
export interface MemoryNeeds {
    ram: number,
    vram: number
}

export interface FitBudget {
    /** RAM the model and context may use; null when unknown (not judged). */
    ramBytes: number | null,
    /** VRAM llama.cpp can use; 0 without a device. */
    vramBytes: number
}

export interface FitJudgement {
    /** The layers judged: the requested count (clamped), or the largest that fits when none was requested. */
    layers: number,
    totalLayers: number,
    needs: MemoryNeeds,
    /** The largest GPU layer count whose VRAM fits the budget (0 without VRAM). */
    maxGpuLayers: number,
    ramFits: boolean,
    vramFits: boolean
}

/** Judges `requested` GPU layers ("max" = all; none = the largest count that fits) against the budget. */
export async function judgeFit(options: {
    needs: (gpuLayers: number) => Promise<MemoryNeeds>,
    totalLayers: number,
    budget: FitBudget,
    requested?: number | "max"
}): Promise<FitJudgement> {
    const {totalLayers, budget} = options;
    const cache = new Map<number, Promise<MemoryNeeds>>();
    const needs = (layers: number) => {
        let known = cache.get(layers);
        if (known == null)
            cache.set(layers, known = options.needs(layers));
        return known;
    };
    const maxGpuLayers = budget.vramBytes > 0 ? await maxGpuLayersWithin(budget.vramBytes, totalLayers, async (layers) => (await needs(layers)).vram) : 0;
    const requested = options.requested === "max" ? totalLayers : options.requested;
    const layers = requested != null ? Math.max(0, Math.min(totalLayers, Math.floor(requested))) : maxGpuLayers;
    const need = await needs(layers);
    return {
        layers, totalLayers, needs: need, maxGpuLayers,
        ramFits: budget.ramBytes == null || need.ram <= budget.ramBytes,
        vramFits: layers === 0 || need.vram <= budget.vramBytes
    };
}

/** The largest layer count in 0..totalLayers whose VRAM fits the budget (binary search: VRAM grows with layers). */
export async function maxGpuLayersWithin(budgetBytes: number, totalLayers: number, vramFor: (layers: number) => Promise<number>): Promise<number> {
    let low = 0;
    let high = totalLayers;
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (await vramFor(mid) <= budgetBytes)
            low = mid;
        else
            high = mid - 1;
    }
    return low;
}
