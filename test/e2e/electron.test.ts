// The desktop app itself, through Playwright's Electron driver: the window shows the built UI from
// app://llamameter/, the preload exposes only window.llamameter (no Node), calls round-trip through
// IPC with validation, the CSP blocks eval, and navigation away from the app is refused.
// Needs the Electron binary, which `npm install` downloads; where it is absent (machines without
// internet access to GitHub) the test is skipped and says why.
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import fs from "node:fs/promises";
import {createRequire} from "node:module";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {ElectronApplication, Page} from "playwright-core";
import type {LlamaMeterApi} from "../../src-main/api/contract.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = path.join(root, "test-results");

/** The Electron executable, or why there is none: the electron package exports its binary's path. */
function findElectron(): {path: string, skip: null} | {path: null, skip: string} {
    let resolved: unknown;
    try {
        resolved = createRequire(import.meta.url)("electron");
    } catch (err) {
        return {path: null, skip: `the Electron binary is not installed (${(err as Error).message.split("\n")[0]})`};
    }
    if (typeof resolved !== "string" || !existsSync(resolved))
        return {path: null, skip: `require("electron") gave ${String(resolved)}, which does not exist`};
    return {path: resolved, skip: null};
}

const electron = findElectron();
if (electron.skip != null)
    console.warn(`electron.test.ts skipped: ${electron.skip}`);

declare global {
    interface Window {
        llamameter?: LlamaMeterApi
    }
}

describe.skipIf(electron.skip != null)(`the Electron app${electron.skip != null ? ` (skipped: ${electron.skip})` : ""}`, () => {
    let temp: string;
    let app: ElectronApplication;
    let page: Page;

    beforeAll(async () => {
        if (!existsSync(path.join(root, "dist", "src-main", "shell", "main.js")) || !existsSync(path.join(root, "dist", "renderer", "index.html"))) {
            const npm = process.platform === "win32" ? "npm.cmd" : "npm";
            const build = spawnSync(npm, ["run", "build"], {cwd: root, stdio: "inherit", shell: process.platform === "win32"});
            expect(build.status, "npm run build").toBe(0);
        }
        temp = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-electron-"));
        await fs.mkdir(path.join(temp, "models"));
        const {_electron} = await import("playwright-core");
        app = await _electron.launch({
            executablePath: electron.path!,
            args: [root],
            env: {
                ...process.env,
                LLAMAMETER_USER_DATA: path.join(temp, "userData"),
                LLAMAMETER_MODELS_DIR: path.join(temp, "models")
            }
        });
        page = await app.firstWindow();
        await page.waitForLoadState("domcontentloaded");
    });

    afterAll(async () => {
        await app?.close();
        if (temp != null)
            await fs.rm(temp, {recursive: true, force: true});
    });

    it("shows the built UI from the app's own origin", async () => {
        expect(page.url()).toBe("app://llamameter/index.html");
        expect(await page.title()).toBe("LlamaMeter");
        await fs.mkdir(artifacts, {recursive: true});
        await page.screenshot({path: path.join(artifacts, "electron-window.png")});
    });

    it("exposes window.llamameter and nothing of Node", async () => {
        const shape = await page.evaluate(() => ({
            api: typeof window.llamameter,
            operations: Object.keys(window.llamameter ?? {}).sort(),
            require: typeof (window as unknown as {require?: unknown}).require,
            process: typeof (window as unknown as {process?: unknown}).process,
            ipcRenderer: typeof (window as unknown as {ipcRenderer?: unknown}).ipcRenderer
        }));
        expect(shape.api).toBe("object");
        expect(shape.operations).toEqual(expect.arrayContaining(["getHardware", "startBench", "cancelBench", "pickModelFiles", "saveExport", "onEvent"]));
        expect(shape.require).toBe("undefined");
        expect(shape.process).toBe("undefined");
        expect(shape.ipcRenderer).toBe("undefined");
    });

    it("round-trips calls through IPC, with the handlers' validation and path checks", async () => {
        const rows = await page.evaluate(() => window.llamameter!.referenceMachines());
        expect(rows.length).toBeGreaterThan(0);
        const invalid = await page.evaluate(() => window.llamameter!.cancelBench({runId: ""}).then(() => "resolved", (e: Error) => e.message));
        expect(invalid).toMatch(/^cancelBench: invalid input: runId/);
        const outside = await page.evaluate(() => window.llamameter!.inspectModel({path: "/etc/hostname"}).then(() => "resolved", (e: Error) => e.message));
        expect(outside).toMatch(/not allowed|not found/);
        expect(await page.evaluate(() => window.llamameter!.listHistory())).toEqual([]);
    });

    it("enforces the CSP and keeps the window on the app", async () => {
        const evalResult = await page.evaluate(() => {
            try {
                return String((0, eval)("1 + 1"));
            } catch {
                return "blocked";
            }
        });
        expect(evalResult).toBe("blocked");
        await page.evaluate(() => {
            window.location.href = "https://example.com/";
        });
        await page.waitForTimeout(500);
        expect(page.url()).toBe("app://llamameter/index.html");
        expect(app.windows()).toHaveLength(1);
    });
});
