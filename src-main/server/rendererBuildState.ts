import {existsSync, readdirSync, statSync} from "node:fs";
import path from "node:path";

/** "missing": no built UI; "stale": a renderer source changed after the last build; "current": serve it. */
export type RendererBuildState = "missing" | "stale" | "current";

/** Newest modification time (ms) of the files under `dir`, or 0 when it does not exist. */
function newestMtimeMs(dir: string): number {
    if (!existsSync(dir))
        return 0;
    let newest = 0;
    for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
        if (!entry.isFile())
            continue;
        newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
    return newest;
}

/**
 * Whether `npm run web` can serve `staticDir` as built. A checkout that pulls new renderer code keeps its old
 * dist/, so "exists" alone served yesterday's UI. The renderer imports only types from src-main, so its
 * sources are src-renderer/ and vite.config.ts. Without them (a packaged app) a present build is current.
 */
export function rendererBuildState(root: string, staticDir: string): RendererBuildState {
    const index = path.join(staticDir, "index.html");
    if (!existsSync(index))
        return "missing";
    const config = path.join(root, "vite.config.ts");
    const sources = Math.max(newestMtimeMs(path.join(root, "src-renderer")), existsSync(config) ? statSync(config).mtimeMs : 0);
    return sources > statSync(index).mtimeMs ? "stale" : "current";
}
