// One fan-out point for pushed ApiEvents: the handlers emit into it, and each transport (Electron
// windows, browser-mode SSE clients) subscribes. A listener that throws must not starve the others.
import type {ApiEvent} from "./contract.js";

export type ApiEventListener = (event: ApiEvent) => void;

export interface EventHub {
    emit(event: ApiEvent): void,
    /** Returns the unsubscribe function. */
    subscribe(listener: ApiEventListener): () => void,
    listenerCount(): number
}

export function createEventHub(): EventHub {
    const listeners = new Set<ApiEventListener>();
    return {
        emit(event) {
            for (const listener of [...listeners]) {
                try {
                    listener(event);
                } catch (err) {
                    console.error("LlamaMeter: event listener failed:", err);
                }
            }
        },
        subscribe(listener) {
            listeners.add(listener);
            return () => {
                listeners.delete(listener);
            };
        },
        listenerCount() {
            return listeners.size;
        }
    };
}
