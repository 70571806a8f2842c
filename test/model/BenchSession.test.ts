// Loads node-llama-cpp's real binaries (no model).
import {existsSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {BenchSession} from "../../src-main/engine/bench/BenchSession.js";

// node-llama-cpp keeps local builds (made by `node-llama-cpp source download/build`) in its own folder.
// import.meta.resolve gives .../node-llama-cpp/dist/index.js
const localBuilds = path.join(path.dirname(fileURLToPath(import.meta.resolve("node-llama-cpp"))), "..", "llama", "localBuilds");

describe("BenchSession", () => {
    it("describes the prebuilt binary it loaded, with the CPU kernel variant on Linux", async () => {
        const session = await BenchSession.create({gpu: "cpu", binary: "prebuilt"});
        try {
            const env = await session.environment();
            expect(env.binary).toMatch(process.platform === "linux" ? /^prebuilt \(cpu: [\w-]+\)$/ : /^prebuilt/);
            expect(env.backend).toBe("cpu");
        } finally {
            await session.dispose();
        }
    });

    it.skipIf(existsSync(localBuilds))("asking for a local build where none exists says how to make one, in one line", async () => {
        const error = await BenchSession.create({gpu: "cpu", binary: "local"}).then(() => null, (error: unknown) => error);
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(/^no local llama\.cpp build found: make one with `npx --no node-llama-cpp source download --gpu false`/);
        expect((error as Error).message).not.toContain("\n");
    });
});
