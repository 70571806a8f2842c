// Issue 13: the packaged app ships with Electron's fuses set (electron-builder.yml electronFuses).
import fs from "node:fs/promises";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import type {Configuration} from "electron-builder";

type FuseOptionsV1 = NonNullable<Configuration["electronFuses"]>;

/** The `key: value` lines of one top-level block of the YAML file (booleans only, as electronFuses has). */
function yamlBlock(text: string, name: string): Record<string, boolean | string> {
    const lines = text.split(/\r?\n/);
    const start = lines.indexOf(`${name}:`);
    if (start === -1)
        return {};
    const block: Record<string, boolean | string> = {};
    for (const line of lines.slice(start + 1)) {
        if (line.trim() === "" || line.trimStart().startsWith("#"))
            continue;
        const match = /^\s+(\w+):\s*(\S+)\s*$/.exec(line);
        if (match == null)
            break;
        block[match[1]!] = match[2] === "true" ? true : match[2] === "false" ? false : match[2]!;
    }
    return block;
}

describe("electron-builder.yml", () => {
    it("switches RunAsNode, NODE_OPTIONS and the inspect arguments off, cookie encryption and asar integrity on", async () => {
        const file = fileURLToPath(new URL("../../electron-builder.yml", import.meta.url));
        const text = await fs.readFile(file, "utf8");
        // Typed with electron-builder 26's own FuseOptionsV1: a misspelt key does not compile.
        const expected: FuseOptionsV1 = {
            runAsNode: false,
            enableNodeOptionsEnvironmentVariable: false,
            enableNodeCliInspectArguments: false,
            enableCookieEncryption: true,
            enableEmbeddedAsarIntegrityValidation: true,
            onlyLoadAppFromAsar: true,
            resetAdHocDarwinSignature: true
        };
        expect(yamlBlock(text, "electronFuses")).toEqual(expected);
        // onlyLoadAppFromAsar and the integrity check need the app in an asar
        expect(text).toMatch(/^asar: true$/m);
    });
});
