import {GgufInsights, readGgufFileInfo} from "node-llama-cpp";
import {validateGguf} from "./validateGguf.js";

/** The layers llama.cpp offloads of a GGUF file (its repeating layers plus the output layer), or null when the
 *  file cannot be read. Validated first: node-llama-cpp's parser can spin for minutes on a malformed header. */
export async function readModelLayerCount(file: string): Promise<number | null> {
    try {
        await validateGguf(file);
        return (await GgufInsights.from(await readGgufFileInfo(file))).totalLayers;
    } catch {
        return null;
    }
}
