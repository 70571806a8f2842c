#!/usr/bin/env node
// Installed entry point: runs the compiled CLI when present, else the TypeScript source through tsx.
import {existsSync} from "node:fs";
import {fileURLToPath, pathToFileURL} from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const compiled = path.join(root, "dist", "src-main", "cli", "main.js");
if (existsSync(compiled)) {
    await import(pathToFileURL(compiled).href);
} else {
    const {register} = await import("tsx/esm/api");
    register();
    await import(pathToFileURL(path.join(root, "src-main", "cli", "main.ts")).href);
}
