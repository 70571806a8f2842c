// The one API object the UI talks to. Electron's preload exposes `window.llamameter`; without it we are in
// browser mode and speak HTTP to the local server. Both implement the same contract.
import type {LlamaMeterApi} from "../src-main/api/contract.js";
import {httpApi} from "./httpApi.js";

declare global {
    interface Window {
        llamameter?: LlamaMeterApi
    }
}

let chosen: LlamaMeterApi | null = null;

/** The API for this window: the preload's object when present, else the HTTP client (created once). */
export function api(): LlamaMeterApi {
    chosen ??= window.llamameter ?? httpApi();
    return chosen;
}
