// The Electron main process: one window showing the built renderer from app://llamameter/, the API
// handlers registered over IPC, benchmarks in a utilityProcess, history in userData/results.jsonl.
// Secure defaults: sandboxed renderer with context isolation and no Node, a CSP on every response,
// navigation and new-window guards, https links only, every permission request refused.
import {app, BrowserWindow, dialog, ipcMain, session, shell} from "electron";
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {createHandlers} from "../api/createHandlers.js";
import {createEventHub} from "../api/eventHub.js";
import {defaultModelsDir} from "../engine/models/discoverModels.js";
import {appOrigin, isAppUrl} from "./appOrigin.js";
import {registerAppScheme, serveRenderer} from "./appProtocol.js";
import {installNavigationGuards} from "./navigationGuards.js";
import {registerIpc} from "./registerIpc.js";
import {utilityProcessSpawner} from "./utilityProcessSpawner.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const preloadFile = path.join(here, "preload.cjs");

// Tests (and people who want a separate profile) point userData elsewhere; must precede "ready".
if (process.env.LLAMAMETER_USER_DATA != null && process.env.LLAMAMETER_USER_DATA !== "")
    app.setPath("userData", path.resolve(process.env.LLAMAMETER_USER_DATA));

registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
    // A second copy would run benchmarks beside the first and skew both: hand over to the first.
    app.quit();
} else {
    app.on("second-instance", () => {
        const window = BrowserWindow.getAllWindows()[0];
        if (window != null) {
            if (window.isMinimized())
                window.restore();
            window.focus();
        }
    });
    installNavigationGuards({app, isAppUrl, openExternal: (url) => shell.openExternal(url)});
    app.whenReady().then(start).catch((err: unknown) => {
        dialog.showErrorBox("LlamaMeter could not start", err instanceof Error ? err.message : String(err));
        app.quit();
    });
}

async function start(): Promise<void> {
    // No camera, notifications, clipboard reads...: the UI needs none.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);

    serveRenderer(path.join(app.getAppPath(), "dist", "renderer"));

    // From source, models/ is the repository's; an installed app cannot write inside itself.
    const modelsDir = app.isPackaged ? path.join(app.getPath("userData"), "models") : defaultModelsDir();
    fs.mkdirSync(modelsDir, {recursive: true});

    const shutdown = new AbortController();
    const events = createEventHub();
    const handlers = createHandlers({
        modelsDirs: [modelsDir],
        resultsFile: path.join(app.getPath("userData"), "results.jsonl"),
        emit: events.emit,
        spawner: utilityProcessSpawner,
        signal: shutdown.signal,
        chooseModelFiles: async () => {
            const owner = BrowserWindow.getFocusedWindow();
            const options: Electron.OpenDialogOptions = {
                title: "Add GGUF model files",
                properties: ["openFile", "multiSelections"],
                filters: [{name: "GGUF models", extensions: ["gguf"]}, {name: "GGML models of 2023 (ggjt v3, converted to GGUF)", extensions: ["bin"]}, {name: "All files", extensions: ["*"]}]
            };
            const result = owner != null ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
            return result.canceled ? [] : result.filePaths;
        },
        chooseSavePath: async ({fileName, extension, formatName}) => {
            const owner = BrowserWindow.getFocusedWindow();
            const options: Electron.SaveDialogOptions = {
                title: "Save results",
                defaultPath: path.join(app.getPath("documents"), fileName),
                filters: [{name: formatName, extensions: [extension]}]
            };
            const result = owner != null ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
            return result.canceled || result.filePath == null || result.filePath === "" ? null : result.filePath;
        }
    });

    registerIpc({
        ipcMain,
        handlers,
        events,
        targets: () => BrowserWindow.getAllWindows().map((window) => window.webContents),
        isTrustedUrl: isAppUrl
    });

    createWindow();
    app.on("activate", () => {
        if (BrowserWindow.getAllWindows().length === 0)
            createWindow();
    });
    app.on("window-all-closed", () => app.quit());
    // Stops a running benchmark (its worker is killed with it) so no process outlives the app.
    app.on("before-quit", () => shutdown.abort());
}

function createWindow(): BrowserWindow {
    const window = new BrowserWindow({
        width: 1280,
        height: 860,
        minWidth: 720,
        minHeight: 480,
        show: false,
        title: "LlamaMeter",
        autoHideMenuBar: true,
        webPreferences: {
            preload: preloadFile,
            contextIsolation: true,
            sandbox: true,
            nodeIntegration: false,
            nodeIntegrationInWorker: false,
            webSecurity: true,
            allowRunningInsecureContent: false,
            webviewTag: false,
            spellcheck: false
        }
    });
    window.once("ready-to-show", () => window.show());
    void window.loadURL(`${appOrigin}/index.html`);
    return window;
}
