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

    it("the engine imports nothing from the layers above it (api, cli, server, shell)", async () => {
        // Types included: a type the engine returns is the engine's, and the contract re-exports it.
        const imports = (text: string) => [...text.matchAll(/(?:from\s+|import\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]!);
        const above = ["api", "cli", "server", "shell"].map((dir) => path.join(root, "src-main", dir) + path.sep);
        const offenders: string[] = [];
        for (const file of await sourceFiles(path.join(root, "src-main/engine")))
            for (const source of imports(await readFile(file, "utf8")))
                if (source.startsWith(".") && above.some((dir) => path.resolve(path.dirname(file), source).startsWith(dir)))
                    offenders.push(`${path.relative(root, file)} imports ${source}`);
        expect(offenders).toEqual([]);
        // The check bites: a file of the contract is above the engine.
        expect(above.some((dir) => path.resolve(root, "src-main/engine/ceiling", "../../api/contract.js").startsWith(dir))).toBe(true);
    });

    it("the detector itself catches an electron import", () => {
        expect(importsElectron.test('import {app} from "electron";')).toBe(true);
        expect(importsElectron.test('const {ipcMain} = require("electron")')).toBe(true);
        expect(importsElectron.test('import type {X} from "electron-builder";')).toBe(false);
    });

    it("the renderer imports nothing from Node, and from the engine only pure modules, at run time", async () => {
        // A pure engine module imports nothing at run time but other pure engine modules (types are free):
        // one home for a closed set or a parser (shape presets, llama-bench list syntax, the busy threshold)
        // that the UI must agree with, and nothing of Node in the bundle.
        const runtimeImports = (text: string) => [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
        const impure = async (file: string, seen = new Set<string>()): Promise<string | null> => {
            if (seen.has(file)) return null;
            seen.add(file);
            for (const source of runtimeImports(await readFile(file, "utf8"))) {
                if (!source.startsWith(".")) return `${path.relative(root, file)} imports ${source}`;
                const reason = await impure(path.resolve(path.dirname(file), source.replace(/\.js$/, ".ts")), seen);
                if (reason != null) return reason;
            }
            return null;
        };
        const offenders: string[] = [];
        for (const file of await sourceFiles(path.join(root, "src-renderer"))) {
            for (const source of runtimeImports(await readFile(file, "utf8"))) {
                if (source.startsWith("node:") || source === "electron")
                    offenders.push(`${path.relative(root, file)} imports ${source}`);
                else if (source.includes("src-main/engine") || source.includes("/engine/")) {
                    const reason = await impure(path.resolve(path.dirname(file), source.replace(/\.js$/, ".ts")));
                    if (reason != null) offenders.push(`${path.relative(root, file)} imports ${source}, which is not pure: ${reason}`);
                }
            }
        }
        expect(offenders).toEqual([]);
        // The check bites: the sweep runner pulls in Node modules.
        await expect(impure(path.join(root, "src-main/engine/bench/runSweep.ts"))).resolves.toMatch(/imports /);
    });
});
