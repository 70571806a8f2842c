// Which llama.cpp binaries node-llama-cpp loads, as getLlama options.
import type {LlamaOptions} from "node-llama-cpp";

/** Which llama.cpp binaries to use. Only the prebuilt npm binaries exist unless the user built locally. */
export const BINARY_CHOICES = ["prebuilt", "local"] as const;
export type BinaryChoice = (typeof BINARY_CHOICES)[number];

/** A CMake option no local build is made with; see `llamaBinaryOptions`. */
const prebuiltOnlyCmakeOption = "LLAMAMETER_PREBUILT_ONLY";

/**
 * getLlama options that load exactly the chosen binaries. node-llama-cpp loads a local build, when one exists,
 * even where prebuilt binaries are allowed. A local build's folder is named after its custom CMake options and
 * the prebuilt binaries are matched without them, so asking for an option no build has skips local builds.
 */
export function llamaBinaryOptions(binary: BinaryChoice): Pick<LlamaOptions, "usePrebuiltBinaries" | "cmakeOptions"> {
    return binary === "prebuilt"
        ? {usePrebuiltBinaries: true, cmakeOptions: {[prebuiltOnlyCmakeOption]: "1"}}
        : {usePrebuiltBinaries: false};
}

/** node-llama-cpp's `Llama.buildType` for each choice. */
export function buildTypeOf(binary: BinaryChoice): "prebuilt" | "localBuild" {
    return binary === "prebuilt" ? "prebuilt" : "localBuild";
}
