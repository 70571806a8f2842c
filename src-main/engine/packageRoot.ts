import {existsSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

/**
 * LlamaMeter's own folder: the nearest folder above this file holding package.json beside src-main/ (this file
 * runs from src-main/ under tsx and from dist/src-main/ when compiled), else the current directory.
 */
export function packageRoot(): string {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (;;) {
        if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "src-main")))
            return dir;
        const parent = path.dirname(dir);
        if (parent === dir)
            return process.cwd();
        dir = parent;
    }
}
