// Which model files the API may touch. A renderer (or a browser tab holding the token) names model
// files by path, so the back end accepts only files under the folders it serves (models/ and the
// discovered model folders) or files the user picked in the native dialog; anything else is refused,
// so the API cannot be used to read or load arbitrary files.
import fs from "node:fs/promises";
import path from "node:path";
import {ApiError} from "./apiError.js";

export interface ModelPathGuardOptions {
    /** Folders whose files (recursively) are allowed. */
    dirs: string[],
    /** Single files allowed (picked in the native dialog). */
    files?: string[]
}

export class ModelPathGuard {
    private readonly dirs = new Set<string>();
    private readonly files = new Set<string>();

    constructor(options: ModelPathGuardOptions) {
        for (const dir of options.dirs)
            this.allowDir(dir);
        for (const file of options.files ?? [])
            this.allowFile(file);
    }

    allowDir(dir: string): void {
        this.dirs.add(path.resolve(dir));
    }

    allowFile(file: string): void {
        this.files.add(path.resolve(file));
    }

    allowedDirs(): string[] {
        return [...this.dirs];
    }

    allowedFiles(): string[] {
        return [...this.files];
    }

    /**
     * Checks that `filePath` is an existing regular file the API may use and returns it (absolute).
     * The path as given must lie under an allowed folder (or be an allowed file) before anything on
     * disk is looked at: every path outside gets the same 403, so the answers cannot be used to learn
     * what exists elsewhere (the audit told /root/.bashrc, /root/nonexistent and /etc apart by their
     * 403, 404 and 400). A symlink the user put inside models/ is their choice and is followed.
     * Paths with ".." are refused.
     */
    async check(filePath: string): Promise<string> {
        if (typeof filePath !== "string" || filePath.length === 0)
            throw new ApiError("model path is empty");
        if (filePath.includes("\0"))
            throw new ApiError("model path contains a NUL character");
        if (!path.isAbsolute(filePath))
            throw new ApiError(`model path must be absolute: ${filePath}`);
        // ".." after a symlinked folder means something else on disk than in the text: never needed.
        if (filePath.split(/[\\/]+/).includes(".."))
            throw new ApiError(`model path must not contain "..": ${filePath}`);

        const given = path.resolve(filePath);
        if (!await this.isAllowed(given)) {
            throw new ApiError(
                `model path not allowed: ${filePath} (only files under ${this.allowedDirs().join(", ") || "no folder"}` +
                " or files added with \"Add file…\" can be used)",
                403
            );
        }
        let real: string;
        try {
            real = await fs.realpath(given);
        } catch {
            throw new ApiError(`model file not found: ${filePath}`, 404);
        }
        const stat = await fs.stat(real);
        if (!stat.isFile())
            throw new ApiError(`not a file: ${filePath}`);
        return given;
    }

    private async isAllowed(candidate: string): Promise<boolean> {
        for (const file of this.files) {
            if (file === candidate || await realpathOrSelf(file) === candidate)
                return true;
        }
        for (const dir of this.dirs) {
            if (isInside(dir, candidate) || isInside(await realpathOrSelf(dir), candidate))
                return true;
        }
        return false;
    }
}

/** Whether `file` lies strictly inside `dir` (both absolute, compared as given). */
export function isInside(dir: string, file: string): boolean {
    const rel = path.relative(dir, file);
    return rel.length > 0 && rel !== ".." && !rel.startsWith(".." + path.sep) && !path.isAbsolute(rel);
}

async function realpathOrSelf(p: string): Promise<string> {
    try {
        return await fs.realpath(p);
    } catch {
        return p;
    }
}
