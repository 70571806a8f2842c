import type {ThreadProbe} from "../types.js";

/** "1: 2100.3 t/s, 2: 75.1 t/s → 1", for tables and the row's explanation. Plain code: the renderer imports it too. */
export function formatThreadProbe(probe: ThreadProbe): string {
    if (probe.candidates.length === 0)
        return `${probe.chosen} (${probe.method})`;
    return `${probe.candidates.map((c) => `${c.threads}: ${c.tgTps.toFixed(1)} t/s`).join(", ")} → ${probe.chosen}`;
}
