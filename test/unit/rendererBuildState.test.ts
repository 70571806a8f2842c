// `npm run web` rebuilds the UI when a renderer source is newer than the build, not only when the build is missing.
import {afterEach, beforeEach, describe, expect, it} from "vitest";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {rendererBuildState} from "../../src-main/server/rendererBuildState.js";

let root: string;
let staticDir: string;

async function touch(file: string, secondsAgo: number) {
    await fs.mkdir(path.dirname(file), {recursive: true});
    await fs.writeFile(file, "x");
    const when = new Date(Date.now() - secondsAgo * 1000);
    await fs.utimes(file, when, when);
}

beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "llamameter-build-state-"));
    staticDir = path.join(root, "dist", "renderer");
});

afterEach(async () => {
    await fs.rm(root, {recursive: true, force: true});
});

describe("rendererBuildState", () => {
    it("is missing without a built index.html", async () => {
        await touch(path.join(root, "src-renderer", "App.tsx"), 60);
        expect(rendererBuildState(root, staticDir)).toBe("missing");
    });

    it("is current when the build is newer than every source", async () => {
        await touch(path.join(root, "src-renderer", "App.tsx"), 60);
        await touch(path.join(root, "vite.config.ts"), 60);
        await touch(path.join(staticDir, "index.html"), 10);
        expect(rendererBuildState(root, staticDir)).toBe("current");
    });

    it("is stale when a nested renderer source changed after the build", async () => {
        await touch(path.join(root, "src-renderer", "App.tsx"), 60);
        await touch(path.join(root, "src-renderer", "public", "icon.svg"), 5);
        await touch(path.join(staticDir, "index.html"), 10);
        expect(rendererBuildState(root, staticDir)).toBe("stale");
    });

    it("is stale when vite.config.ts changed after the build", async () => {
        await touch(path.join(root, "src-renderer", "App.tsx"), 60);
        await touch(path.join(root, "vite.config.ts"), 5);
        await touch(path.join(staticDir, "index.html"), 10);
        expect(rendererBuildState(root, staticDir)).toBe("stale");
    });

    it("is current for a packaged app that ships the build without its sources", async () => {
        await touch(path.join(staticDir, "index.html"), 10);
        expect(rendererBuildState(root, staticDir)).toBe("current");
    });
});
