// @vitest-environment happy-dom
import {describe, expect, it, vi} from "vitest";
import type {ApiEvent} from "../../../src-main/api/contract.js";
import {httpApi, readToken} from "../../../src-renderer/httpApi.js";

function memoryStorage() {
    const items = new Map<string, string>();
    return {getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value)};
}

function answer(body: unknown, status = 200) {
    return new Response(JSON.stringify(body), {status, headers: {"content-type": "application/json"}});
}

describe("readToken", () => {
    it("takes the token from the URL, keeps it for reloads and strips it from the address bar", () => {
        const storage = memoryStorage();
        const history = {state: null, replaceState: vi.fn()};
        expect(readToken({location: {href: "http://127.0.0.1:5000/?token=abc123&x=1#top"}, storage, history})).toBe("abc123");
        expect(history.replaceState).toHaveBeenCalledWith(null, "", "/?x=1#top");
        expect(readToken({location: {href: "http://127.0.0.1:5000/"}, storage, history})).toBe("abc123");
    });
});

describe("httpApi", () => {
    const base = {location: {href: "http://127.0.0.1:5000/?token=t0k"}, storage: memoryStorage(), history: {state: null, replaceState() {}}};

    it("POSTs the input with the token header and returns the value", async () => {
        const fetch = vi.fn(async () => answer({ok: true, value: {runId: "r1"}}));
        const client = httpApi({...base, fetch});
        const spec = {models: ["m"], gpuLayers: [0], threads: [1], batchSizes: [512], nPrompt: [16], nGen: [8], reps: 2, flashAttention: [false]};
        await expect(client.startBench(spec)).resolves.toEqual({runId: "r1"});
        expect(fetch).toHaveBeenCalledWith("/api/startBench", {
            method: "POST",
            headers: {"content-type": "application/json", "x-llamameter-token": "t0k"},
            body: JSON.stringify(spec)
        });
        await client.getHardware();
        expect((fetch.mock.calls[1] as unknown[])[1]).toMatchObject({body: "{}"});
    });

    it("throws the server's one-line error, and says when the server cannot be reached", async () => {
        const failing = httpApi({...base, fetch: vi.fn(async () => answer({ok: false, error: "bad.gguf: not a GGUF file"}, 400))});
        await expect(failing.inspectModel({path: "bad.gguf"})).rejects.toThrow(/^bad.gguf: not a GGUF file$/);
        const down = httpApi({...base, fetch: vi.fn(async () => { throw new TypeError("Failed to fetch"); })});
        await expect(down.listModels()).rejects.toThrow("Cannot reach the LlamaMeter server (Failed to fetch)");
        const html = httpApi({...base, fetch: vi.fn(async () => new Response("<html>", {status: 502}))});
        await expect(html.listModels()).rejects.toThrow("listModels: the server answered HTTP 502 without a JSON body");
    });

    it("without a token, says where to get one", async () => {
        const client = httpApi({location: {href: "http://127.0.0.1:5000/"}, storage: memoryStorage(), history: {state: null, replaceState() {}}, fetch: vi.fn()});
        await expect(client.listHistory()).rejects.toThrow(/No access token/);
    });

    it("opens one event stream with the token, delivers parsed events, closes after the last listener", () => {
        const sources: Array<{url: string, onmessage: ((message: MessageEvent) => void) | null, close: () => void, closed: boolean}> = [];
        class FakeEventSource {
            onmessage: ((message: MessageEvent) => void) | null = null;
            closed = false;
            constructor(public url: string) { sources.push(this); }
            close() { this.closed = true; }
        }
        const client = httpApi({...base, fetch: vi.fn(), EventSource: FakeEventSource as never});
        const seen: ApiEvent[] = [];
        const stopA = client.onEvent((event) => seen.push(event));
        const stopB = client.onEvent(() => {});
        expect(sources).toHaveLength(1);
        expect(sources[0]!.url).toBe("/api/events?token=t0k");
        const event: ApiEvent = {channel: "bench", runId: "r", event: {type: "plan", tests: 1, totalReps: 3}};
        sources[0]!.onmessage?.({data: JSON.stringify(event)} as MessageEvent);
        sources[0]!.onmessage?.({data: "not json"} as MessageEvent);
        expect(seen).toEqual([event]);
        stopA();
        expect(sources[0]!.closed).toBe(false);
        stopB();
        expect(sources[0]!.closed).toBe(true);
    });
});
