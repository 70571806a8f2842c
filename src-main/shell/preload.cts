// The preload: exposes window.llamameter (LlamaMeterApi) and nothing else, never ipcRenderer itself.
// Sandboxed preloads must be CommonJS and can require only "electron", so this file is a .cts
// (compiled to preload.cjs) that imports nothing of ours at run time: the channel map below is
// checked against the contract by the compiler (a missing, extra or misspelled operation fails
// `tsc`), and main registers the same "llamameter:<operation>" channels from its handlers.
import electron = require("electron");
import type {ApiEvent, ApiName, DesktopName, LlamaMeterApi} from "../api/contract.js";

const operations = {
    getHardware: "llamameter:getHardware",
    getHardwareFacts: "llamameter:getHardwareFacts",
    measureBandwidth: "llamameter:measureBandwidth",
    listModels: "llamameter:listModels",
    inspectModel: "llamameter:inspectModel",
    createSyntheticModel: "llamameter:createSyntheticModel",
    defaultPlan: "llamameter:defaultPlan",
    startBench: "llamameter:startBench",
    estimateSweep: "llamameter:estimateSweep",
    cancelBench: "llamameter:cancelBench",
    listHistory: "llamameter:listHistory",
    exportResults: "llamameter:exportResults",
    importCsv: "llamameter:importCsv",
    predict: "llamameter:predict",
    referenceMachines: "llamameter:referenceMachines",
    pickModelFiles: "llamameter:pickModelFiles",
    saveExport: "llamameter:saveExport"
} as const satisfies {[K in ApiName | DesktopName]: `llamameter:${K}`};

const eventChannel = "llamameter:event";

type IpcReply = {ok: true, value: unknown} | {ok: false, error: string};

async function invoke(channel: string, input: unknown): Promise<unknown> {
    const reply = await electron.ipcRenderer.invoke(channel, input) as IpcReply;
    if (reply.ok)
        return reply.value;
    throw new Error(reply.error);
}

const api: Record<string, unknown> = {};
for (const [name, channel] of Object.entries(operations))
    api[name] = (input?: unknown) => invoke(channel, input);

api.onEvent = (listener: (event: ApiEvent) => void): (() => void) => {
    // Wrapped so the renderer never sees the IpcRendererEvent (it carries `sender`, an ipcRenderer).
    const wrapped = (_event: unknown, payload: ApiEvent) => listener(payload);
    electron.ipcRenderer.on(eventChannel, wrapped);
    return () => {
        electron.ipcRenderer.removeListener(eventChannel, wrapped);
    };
};

electron.contextBridge.exposeInMainWorld("llamameter", api as unknown as LlamaMeterApi);
