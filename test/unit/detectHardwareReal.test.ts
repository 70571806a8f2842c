import {describe, expect, it} from "vitest";
import {detectHardware} from "../../src-main/engine/hardware/detectHardware.js";
import type {Fact} from "../../src-main/engine/types.js";

function facts(value: unknown, at = "profile"): Array<[string, Fact<unknown>]> {
    if (value == null || typeof value !== "object")
        return [];
    if ("source" in value && "value" in value)
        return [[at, value as Fact<unknown>]];
    return Object.entries(value).flatMap(([key, inner]) => facts(inner, `${at}.${key}`));
}

describe("detectHardware on this machine", () => {
    it("gives every field a source, and every unknown field a note instead of a guess", async () => {
        const profile = await detectHardware({bandwidth: "skip", gpu: false});
        for (const [at, fact] of facts(profile)) {
            if (fact.value == null) {
                expect(fact.source, at).toBe("none");
                expect(fact.note, at).toBeTruthy();
            } else {
                expect(fact.source, at).not.toBe("none");
            }
        }
        expect(profile.cpu.physicalCores.value).toBeGreaterThan(0);
        expect(profile.memory.totalBytes.value).toBeGreaterThan(0);
        expect(profile.backends.used).toBe("cpu");
        expect(profile.nodeLlamaCppVersion).toMatch(/^\d+\.\d+\.\d+/);
        expect(profile.bandwidth.source).toBe("none");
    }, 60_000);
});
