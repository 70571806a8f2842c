// What a ggjt v3 file holds, for the UI, the fit verdict and the bandwidth ceiling, read from its header
// without converting it (a conversion copies gigabytes; listing models must not). The numbers are those of
// the GGUF it converts to: the same tensors, renamed, with the same bytes.
import path from "node:path";
import {GgufFileType} from "node-llama-cpp";
import type {ModelInfo} from "../types.js";
import {ggmlTypeName} from "./ggmlTypes.js";
import {GGJT_CONTEXT_LENGTH, GGJT_V3_LABEL, mapGgjtToGguf} from "./mapGgjtToGguf.js";
import {readGgjtHeader} from "./readGgjtHeader.js";
import {summarizeTensors} from "./summarizeTensors.js";

export async function inspectGgjt(file: string, options: {gqa?: number} = {}): Promise<ModelInfo> {
    const header = await readGgjtHeader(file);
    const mapping = mapGgjtToGguf(file, header, options);
    const summary = summarizeTensors(mapping.tensors.map((tensor) => tensor.entry));
    const {hparams} = header;
    const fileType = GgufFileType[hparams.ftype] as string | undefined;
    return {
        file: path.resolve(file),
        fileName: path.basename(file),
        fileBytes: header.fileSize,
        architecture: "llama",
        name: path.basename(file),
        parameters: summary.elements,
        weightType: summary.dominantType != null ? ggmlTypeName(summary.dominantType) : "unknown",
        ...(fileType != null ? {fileType} : {}),
        tensorTypes: summary.tensorTypes,
        nLayer: hparams.nLayer,
        nEmbd: hparams.nEmbd,
        nHead: hparams.nHead,
        nHeadKv: mapping.nHeadKv,
        nFf: mapping.nFf,
        vocabSize: hparams.nVocab,
        contextLength: GGJT_CONTEXT_LENGTH,
        bytesPerLayer: summary.bytesPerLayer,
        tokenEmbdBytes: summary.tokenEmbdBytes,
        outputBytes: summary.outputBytes,
        tensorBytes: summary.tensorBytes,
        synthetic: false,
        convertedFrom: GGJT_V3_LABEL
    };
}
