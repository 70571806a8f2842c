// Loads node-llama-cpp's real binaries (no model).
import {describe, expect, it} from "vitest";
import {BenchSession} from "../../src-main/engine/bench/BenchSession.js";
import {formatBinary} from "../../src-main/engine/llama/formatBinary.js";

describe("BenchSession", () => {
    it("describes the prebuilt binary it loaded, with the CPU kernel variant on Linux", async () => {
        const session = await BenchSession.create({gpu: "cpu", binary: "prebuilt"});
        try {
            const env = await session.environment();
            expect(formatBinary(env.binary)).toMatch(process.platform === "linux" ? /^prebuilt \(cpu: [\w-]+; threads: \w+\)$/ : /^prebuilt/);
            expect(env.backend).toBe("cpu");
        } finally {
            await session.dispose();
        }
    });
});
