// Loads node-llama-cpp's real binaries (no model).
import {existsSync} from "node:fs";
import {cp, mkdir, rm, writeFile} from "node:fs/promises";
import {createRequire} from "node:module";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {BenchSession} from "../../src-main/engine/bench/BenchSession.js";

// node-llama-cpp keeps local builds (made by `node-llama-cpp source download/build`) in its own folder.
// import.meta.resolve gives .../node-llama-cpp/dist/index.js
const localBuilds = path.join(path.dirname(fileURLToPath(import.meta.resolve("node-llama-cpp"))), "..", "llama", "localBuilds");

/**
 * Makes a local build out of a copy of the prebuilt Linux x64 CPU binaries, laid out as
 * `node-llama-cpp source download` leaves one; returns how to remove it.
 */
async function makeLocalBuildFromPrebuilt(): Promise<() => Promise<void>> {
    const require = createRequire(fileURLToPath(import.meta.resolve("node-llama-cpp")));
    // The package exports only dist/index.js; its binaries sit in bins/ beside dist/.
    const prebuilt = path.join(path.dirname(require.resolve("@node-llama-cpp/linux-x64")), "..", "bins", "linux-x64");
    const folder = path.join(localBuilds, "linux-x64");
    await mkdir(folder, {recursive: true});
    await cp(prebuilt, path.join(folder, "Release"), {recursive: true});
    await writeFile(path.join(folder, "buildDone.status"), "");
    return () => rm(localBuilds, {recursive: true, force: true});
}

describe("BenchSession", () => {
    it("describes the prebuilt binary it loaded, with the CPU kernel variant on Linux", async () => {
        const session = await BenchSession.create({gpu: "cpu", binary: "prebuilt"});
        try {
            const env = await session.environment();
            expect(env.binary).toMatch(process.platform === "linux" ? /^prebuilt \(cpu: [\w-]+; threads: \w+\)$/ : /^prebuilt/);
            expect(env.backend).toBe("cpu");
        } finally {
            await session.dispose();
        }
    });

    // node-llama-cpp on its own loads a local build whenever one exists, prebuilt binaries allowed or not.
    it.runIf(process.platform === "linux" && process.arch === "x64")("loads the prebuilt binary when asked, even with a local build present", async () => {
        const removeLocalBuild = existsSync(localBuilds) ? null : await makeLocalBuildFromPrebuilt();
        try {
            const session = await BenchSession.create({gpu: "cpu", binary: "prebuilt"});
            try {
                expect(session.llama.buildType).toBe("prebuilt");
                expect((await session.environment()).binary).toMatch(/^prebuilt \(cpu: [\w-]+; threads: ggml\)$/);
            } finally {
                await session.dispose();
            }
        } finally {
            await removeLocalBuild?.();
        }
    });

    it.skipIf(existsSync(localBuilds))("asking for a local build where none exists says how to make one, in one line", async () => {
        const error = await BenchSession.create({gpu: "cpu", binary: "local"}).then(() => null, (error: unknown) => error);
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(/^no local llama\.cpp build found: make one with `npx --no node-llama-cpp source download --gpu false`/);
        expect((error as Error).message).not.toContain("\n");
    });
});
