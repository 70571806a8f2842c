// Registers the API handlers over Electron IPC: one invoke channel per operation
// ("llamameter:<operation>", the names the preload's channel map lists) and one push channel for
// events. Only frames showing the app's own page may call; every payload is validated by the handler
// itself. Replies travel in the same {ok, value} / {ok, error} envelope as browser mode, so the
// renderer sees the handler's one-line message rather than Electron's "Error invoking remote method".
// Electron is only a type here, so this file is unit-tested without the Electron binary.
import type {IpcMain, IpcMainInvokeEvent, WebContents} from "electron";
import type {ApiHandlers} from "../api/apiHandlers.js";
import type {EventHub} from "../api/eventHub.js";
import {errorMessage} from "../api/apiError.js";

export const ipcChannelPrefix = "llamameter:";
export const ipcEventChannel = "llamameter:event";

export type IpcReply = {ok: true, value: unknown} | {ok: false, error: string};

export interface RegisterIpcOptions {
    ipcMain: Pick<IpcMain, "handle" | "removeHandler">,
    handlers: ApiHandlers,
    events: Pick<EventHub, "subscribe">,
    /** The windows to push events to (those alive at the time of each event). */
    targets: () => Array<Pick<WebContents, "send" | "isDestroyed">>,
    /** Whether a calling frame's URL is the app's own page (not a navigated-away or injected frame). */
    isTrustedUrl: (url: string) => boolean
}

/** Returns a function that removes every registration. */
export function registerIpc(options: RegisterIpcOptions): () => void {
    const channels: string[] = [];
    for (const [name, handler] of Object.entries(options.handlers)) {
        if (typeof handler !== "function")
            continue;
        const channel = ipcChannelPrefix + name;
        channels.push(channel);
        options.ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<IpcReply> => {
            const url = event.senderFrame?.url ?? "";
            if (!options.isTrustedUrl(url))
                return {ok: false, error: `${name}: refused a call from an untrusted page`};
            try {
                const value: unknown = await (handler as (input: unknown) => Promise<unknown>)(input);
                return {ok: true, value: value ?? null};
            } catch (err) {
                return {ok: false, error: errorMessage(err)};
            }
        });
    }
    const unsubscribe = options.events.subscribe((event) => {
        for (const target of options.targets()) {
            if (!target.isDestroyed())
                target.send(ipcEventChannel, event);
        }
    });
    return () => {
        unsubscribe();
        for (const channel of channels)
            options.ipcMain.removeHandler(channel);
    };
}
