import {describe, expect, it} from "vitest";
import {describeBinary as describeBinaryInfo} from "../../src-main/engine/llama/describeBinary.js";
import {formatBinary, parseBinary} from "../../src-main/engine/llama/formatBinary.js";

/** The binary column's text of what describeBinary found. */
const describeBinary = (...args: Parameters<typeof describeBinaryInfo>) => formatBinary(describeBinaryInfo(...args));

const lib = (library: string) =>
    `7f33f4af6000-7f33f4b0c000 r-xp 00000000 fd:00 123 /x/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/${library}\n`;
const mapsWith = (...libraries: string[]) => () => libraries.map(lib).join("");

describe("describeBinary", () => {
    it("names the CPU kernel variant mapped into the process, and ggml's thread pool when no OpenMP runtime is", () => {
        expect(describeBinary("prebuilt", {}, mapsWith("libggml-cpu-sapphirerapids.so"))).toBe("prebuilt (cpu: sapphirerapids; threads: ggml)");
        expect(describeBinary("prebuilt", {}, mapsWith("libggml-cpu-haswell.so"))).toBe("prebuilt (cpu: haswell; threads: ggml)");
    });

    it("says OpenMP runs the threads when an OpenMP runtime is mapped", () => {
        const local = (runtime: string) => describeBinary("localBuild", {}, () =>
            lib("libggml-cpu.so") + `7f33f4000000-7f33f4010000 r-xp 00000000 fd:00 9 /usr/lib/x86_64-linux-gnu/${runtime}\n`);
        expect(local("libgomp.so.1")).toBe("localBuild (threads: openmp)");
        expect(local("libomp.so.5")).toBe("localBuild (threads: openmp)");
        expect(local("libiomp5.so")).toBe("localBuild (threads: openmp)");
        expect(local("libgompish-not-openmp.so")).toBe("localBuild (threads: ggml)");
    });

    it("gives a local build's CMake options, and never a prebuilt binary's", () => {
        expect(describeBinary("localBuild", {GGML_NATIVE: "ON", GGML_OPENMP: "OFF"}, null))
            .toBe("localBuild (cmake: GGML_NATIVE=ON GGML_OPENMP=OFF)");
        expect(describeBinary("localBuild", {}, null)).toBe("localBuild");
        expect(describeBinary("prebuilt", {GGML_NATIVE: "OFF"}, null)).toBe("prebuilt");
    });

    it("says only the build type when the maps cannot be read", () => {
        expect(describeBinary("prebuilt", {}, () => {
            throw new Error("no /proc");
        })).toBe("prebuilt");
    });

    it("keeps the facts apart, so nothing parses them back out of the text", () => {
        expect(describeBinaryInfo("prebuilt", {}, mapsWith("libggml-cpu-zen4.so")))
            .toEqual({buildType: "prebuilt", cpuVariant: "zen4", threadRuntime: "ggml",
                cpuLibrary: "/x/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-cpu-zen4.so"});
    });

    it("reads the text back into the facts (history rows and CSV written before the structured columns)", () => {
        for (const info of [
            {buildType: "prebuilt", cpuVariant: "sapphirerapids", threadRuntime: "ggml" as const},
            {buildType: "localBuild", cpuVariant: null, threadRuntime: "openmp" as const, cmakeOptions: "GGML_NATIVE=ON GGML_OPENMP=OFF"},
            {buildType: "llama-bench", cpuVariant: null, threadRuntime: null, origin: "PATH: llama-bench; its own thread pool, poll 50"},
            {buildType: "prebuilt", cpuVariant: null, threadRuntime: null}
        ])
            expect(parseBinary(formatBinary(info))).toEqual(info);
        expect(parseBinary("")).toBeNull();
    });
});
