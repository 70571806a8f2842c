// The Electron IPC registration without Electron: a fake ipcMain records the handlers, and the
// preload's channel map is checked against what main registers.
import {describe, expect, it, vi} from "vitest";
import fs from "node:fs/promises";
import {registerIpc, ipcChannelPrefix, ipcEventChannel, type IpcReply} from "../../src-main/shell/registerIpc.js";
import {createEventHub} from "../../src-main/api/eventHub.js";
import {ApiError} from "../../src-main/api/apiError.js";
import {createHandlers} from "../../src-main/api/createHandlers.js";
import type {ApiHandlers} from "../../src-main/api/apiHandlers.js";
import type {ApiEvent} from "../../src-main/api/contract.js";

type Handle = (event: {senderFrame: {url: string} | null}, input: unknown) => Promise<IpcReply>;

function fakeIpcMain() {
    const handles = new Map<string, Handle>();
    return {
        handles,
        handle: vi.fn((channel: string, listener: Handle) => {
            if (handles.has(channel))
                throw new Error(`second handler for ${channel}`);
            handles.set(channel, listener);
        }),
        removeHandler: vi.fn((channel: string) => {
            handles.delete(channel);
        })
    };
}

const appPage = {senderFrame: {url: "app://llamameter/index.html"}};

describe("registerIpc", () => {
    const handlers = {
        cancelBench: vi.fn(async (input: unknown) => {
            if (typeof input !== "object" || input == null || !("runId" in input))
                throw new ApiError("cancelBench: invalid input: runId: Required");
            return {cancelled: true};
        }),
        listHistory: vi.fn(async () => {
            throw new Error("EACCES: permission denied\n    at open");
        })
    } as unknown as ApiHandlers;

    function setUp() {
        const ipcMain = fakeIpcMain();
        const events = createEventHub();
        const sent: Array<[string, ApiEvent]> = [];
        const window = {send: (channel: string, event: ApiEvent) => sent.push([channel, event]), isDestroyed: () => false};
        const closed = {send: vi.fn(), isDestroyed: () => true};
        const unregister = registerIpc({
            ipcMain: ipcMain as never,
            handlers,
            events,
            targets: () => [window, closed] as never,
            isTrustedUrl: (url) => url.startsWith("app://llamameter/")
        });
        return {ipcMain, events, sent, closed, unregister};
    }

    it("registers one channel per operation and wraps values and errors", async () => {
        const {ipcMain} = setUp();
        expect([...ipcMain.handles.keys()].sort()).toEqual(["llamameter:cancelBench", "llamameter:listHistory"]);
        const cancel = ipcMain.handles.get("llamameter:cancelBench")!;
        expect(await cancel(appPage, {runId: "r"})).toEqual({ok: true, value: {cancelled: true}});
        expect(await cancel(appPage, "nonsense")).toEqual({ok: false, error: "cancelBench: invalid input: runId: Required"});
        const history = ipcMain.handles.get("llamameter:listHistory")!;
        expect(await history(appPage, undefined)).toEqual({ok: false, error: "EACCES: permission denied; at open"});
    });

    it("refuses calls from frames that are not the app's page", async () => {
        const {ipcMain} = setUp();
        const cancel = ipcMain.handles.get("llamameter:cancelBench")!;
        vi.mocked(handlers.cancelBench).mockClear();
        const reply = await cancel({senderFrame: {url: "https://evil.example/"}}, {runId: "r"});
        expect(reply).toMatchObject({ok: false, error: expect.stringMatching(/untrusted/)});
        expect(await cancel({senderFrame: null}, {runId: "r"})).toMatchObject({ok: false});
        expect(handlers.cancelBench).not.toHaveBeenCalled();
    });

    it("pushes events to live windows only, and unregisters cleanly", () => {
        const {ipcMain, events, sent, closed, unregister} = setUp();
        const event: ApiEvent = {channel: "synth", jobId: "j", writtenBytes: 1, totalBytes: 2, done: false};
        events.emit(event);
        expect(sent).toEqual([[ipcEventChannel, event]]);
        expect(closed.send).not.toHaveBeenCalled();
        unregister();
        expect(ipcMain.handles.size).toBe(0);
        expect(events.listenerCount()).toBe(0);
    });
});

describe("the preload's channel map", () => {
    it("names exactly the channels main registers for the desktop handlers", async () => {
        const source = await fs.readFile(new URL("../../src-main/shell/preload.cts", import.meta.url), "utf8");
        const preloadChannels = [...source.matchAll(/^\s+(\w+): "(llamameter:\w+)",?$/gm)].map((m) => {
            expect(m[2]).toBe(ipcChannelPrefix + m[1]);
            return m[2];
        });
        expect(source).toContain(`const eventChannel = "${ipcEventChannel}";`);

        const desktop = createHandlers({
            modelsDirs: ["/nonexistent-models"], discoverDefaultDirs: false, resultsFile: "/nonexistent/results.jsonl",
            emit: () => {}, chooseModelFiles: async () => [], chooseSavePath: async () => null
        });
        const ipcMain = fakeIpcMain();
        registerIpc({ipcMain: ipcMain as never, handlers: desktop, events: createEventHub(), targets: () => [], isTrustedUrl: () => true});
        expect(preloadChannels.sort()).toEqual([...ipcMain.handles.keys()].sort());
    });
});
