import {readdir, readFile} from "node:fs/promises";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function sourceFiles(dir: string): Promise<string[]> {
    const entries = await readdir(dir, {withFileTypes: true, recursive: true});
    return entries
        .filter((entry) => entry.isFile() && /\.(ts|tsx|mts)$/.test(entry.name))
        .map((entry) => path.join(entry.parentPath, entry.name));
}

const importsElectron = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']electron(?:\/[^"']*)?["']/;

describe("layering", () => {
    it("the engine, the CLI, the API and the server never import electron", async () => {
        const offenders: string[] = [];
        for (const dir of ["src-main/engine", "src-main/cli", "src-main/api", "src-main/server"])
            for (const file of await sourceFiles(path.join(root, dir)))
                if (importsElectron.test(await readFile(file, "utf8")))
                    offenders.push(path.relative(root, file));
        expect(offenders).toEqual([]);
    });

    it("the detector itself catches an electron import", () => {
        expect(importsElectron.test('import {app} from "electron";')).toBe(true);
        expect(importsElectron.test('const {ipcMain} = require("electron")')).toBe(true);
        expect(importsElectron.test('import type {X} from "electron-builder";')).toBe(false);
    });

    it("the renderer imports nothing from Node or the engine at run time", async () => {
        const offenders: string[] = [];
        for (const file of await sourceFiles(path.join(root, "src-renderer"))) {
            const text = await readFile(file, "utf8");
            const runtimeImports = [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
            for (const source of runtimeImports)
                if (source.startsWith("node:") || source.includes("src-main/engine") || source.includes("/engine/") || source === "electron")
                    offenders.push(`${path.relative(root, file)} imports ${source}`);
        }
        expect(offenders).toEqual([]);
    });
});
