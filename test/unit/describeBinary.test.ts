import {describe, expect, it} from "vitest";
import {describeBinary} from "../../src-main/engine/bench/BenchSession.js";

const linux = process.platform === "linux";
const mapsWith = (library: string) => () =>
    `7f33f4af6000-7f33f4b0c000 r-xp 00000000 fd:00 123 /x/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/${library}\n`;

describe("describeBinary", () => {
    it.runIf(linux)("names the CPU kernel variant mapped into the process", () => {
        expect(describeBinary("prebuilt", {}, mapsWith("libggml-cpu-sapphirerapids.so"))).toBe("prebuilt (cpu: sapphirerapids)");
        expect(describeBinary("prebuilt", {}, mapsWith("libggml-cpu-haswell.so"))).toBe("prebuilt (cpu: haswell)");
    });

    it("gives a local build's CMake options, and never a prebuilt binary's", () => {
        const noVariant = () => "";
        expect(describeBinary("localBuild", {GGML_NATIVE: "ON", GGML_OPENMP: "OFF"}, noVariant))
            .toBe("localBuild (cmake: GGML_NATIVE=ON GGML_OPENMP=OFF)");
        expect(describeBinary("localBuild", {}, noVariant)).toBe("localBuild");
        expect(describeBinary("prebuilt", {GGML_NATIVE: "OFF"}, noVariant)).toBe("prebuilt");
    });

    it("says only the build type when the maps cannot be read", () => {
        expect(describeBinary("prebuilt", {}, () => {
            throw new Error("no /proc");
        })).toBe("prebuilt");
    });
});
