// Browser-mode transport: the LlamaMeterApi contract over HTTP POST + server-sent events.
// Protocol: POST /api/<operation> with header x-llamameter-token and the input as JSON ({} when none);
// the answer is {ok: true, value} or {ok: false, error: "one line"}; events arrive on /api/events.
import {oneLine} from "../src-main/engine/oneLine.js";
import type {ApiEvent, ApiName, LlamaMeterApi} from "../src-main/api/contract.js";

export interface HttpApiOptions {
    /** Where the server is; default: this page's origin. */
    baseUrl?: string,
    /** The page location to take `?token=` from; default: window.location. */
    location?: Pick<Location, "href">,
    /** Where the token is kept across reloads (the address bar loses it); default: sessionStorage. */
    storage?: Pick<Storage, "getItem" | "setItem">,
    /** Used to strip the token from the address bar; default: window.history. */
    history?: Pick<History, "replaceState" | "state">,
    fetch?: typeof fetch,
    EventSource?: new (url: string) => Pick<EventSource, "onmessage" | "close">
}

const tokenKey = "llamameter.token";

// Every operation of the contract, listed so the compiler tells us when the contract grows.
const operationNames: {[K in ApiName]: true} = {
    getHardware: true,
    getHardwareFacts: true,
    measureBandwidth: true,
    listModels: true,
    inspectModel: true,
    createSyntheticModel: true,
    defaultPlan: true,
    startBench: true,
    estimateSweep: true,
    cancelBench: true,
    listHistory: true,
    exportResults: true,
    importCsv: true,
    predict: true,
    referenceMachines: true
};

/** Takes the token from `?token=` (then hides it from the address bar) or from session storage. */
export function readToken(options: Pick<HttpApiOptions, "location" | "storage" | "history"> = {}): string | null {
    const location = options.location ?? window.location;
    const storage = options.storage ?? window.sessionStorage;
    const url = new URL(location.href);
    const fromUrl = url.searchParams.get("token");
    if (fromUrl != null && fromUrl !== "") {
        storage.setItem(tokenKey, fromUrl);
        url.searchParams.delete("token");
        // The token is a password: keep it out of the address bar, history and screenshots.
        const history = options.history ?? window.history;
        history.replaceState(history.state, "", url.pathname + url.search + url.hash);
        return fromUrl;
    }
    return storage.getItem(tokenKey);
}

/** The contract over HTTP for browser mode. */
export function httpApi(options: HttpApiOptions = {}): LlamaMeterApi {
    const token = readToken(options);
    const baseUrl = options.baseUrl ?? "";
    const doFetch = options.fetch ?? window.fetch.bind(window);

    async function call(name: ApiName, input: unknown): Promise<unknown> {
        if (token == null)
            throw new Error("No access token: open the address printed by `npm run web` (it ends in ?token=...).");
        let response: Response;
        try {
            response = await doFetch(`${baseUrl}/api/${name}`, {
                method: "POST",
                headers: {"content-type": "application/json", "x-llamameter-token": token},
                body: JSON.stringify(input ?? {})
            });
        } catch (error) {
            throw new Error(`Cannot reach the LlamaMeter server (${oneLine(error)}). Is \`npm run web\` still running?`);
        }
        let body: unknown;
        try {
            body = await response.json();
        } catch {
            throw new Error(`${name}: the server answered HTTP ${response.status} without a JSON body`);
        }
        if (isAnswer(body)) {
            if (body.ok) return body.value;
            throw new Error(body.error ?? `${name} failed (HTTP ${response.status})`);
        }
        throw new Error(`${name}: unexpected answer from the server (HTTP ${response.status})`);
    }

    const listeners = new Set<(event: ApiEvent) => void>();
    let source: Pick<EventSource, "onmessage" | "close"> | null = null;

    function openEvents() {
        const EventSourceClass = options.EventSource ?? window.EventSource;
        source = new EventSourceClass(`${baseUrl}/api/events?token=${encodeURIComponent(token ?? "")}`);
        source.onmessage = (message: MessageEvent) => {
            let event: ApiEvent;
            try {
                event = JSON.parse(String(message.data)) as ApiEvent;
            } catch {
                return; // A malformed message is dropped; the next one is independent of it.
            }
            for (const listener of listeners) listener(event);
        };
    }

    const client: Record<string, unknown> = {
        onEvent(listener: (event: ApiEvent) => void) {
            listeners.add(listener);
            if (source == null && token != null) openEvents();
            return () => {
                listeners.delete(listener);
                if (listeners.size === 0 && source != null) {
                    source.close();
                    source = null;
                }
            };
        }
    };
    for (const name of Object.keys(operationNames) as ApiName[])
        client[name] = (input?: unknown) => call(name, input);
    return client as LlamaMeterApi;
}

function isAnswer(body: unknown): body is {ok: boolean, value?: unknown, error?: string} {
    return typeof body === "object" && body != null && typeof (body as {ok?: unknown}).ok === "boolean";
}

