// A model described by shape and weight type, without a file: the ModelInfo an inspection of a file of
// that shape would give (from the same tensor plan the synthetic writer uses, summarised by the same
// summarizeTensors as inspectModel), for what-if predictions.
import type {GgufFileInfo} from "node-llama-cpp";
import type {ModelInfo, ModelShape, WeightType} from "../types.js";
import {planSyntheticTensors, type PlannedTensor} from "../models/planSyntheticTensors.js";
import {ggmlTypeName} from "../models/ggmlTypes.js";
import {summarizeTensors} from "../models/summarizeTensors.js";
import {syntheticGgufFileInfo} from "./syntheticGgufFileInfo.js";

export interface ShapeModel {
    info: ModelInfo,
    tensors: PlannedTensor[],
    ggufFileInfo: GgufFileInfo
}

export function modelFromShape(shape: ModelShape, type: WeightType, label = `${type} what-if model`): ShapeModel {
    const tensors = planSyntheticTensors(shape, type);
    // The same summary (and dominant-type rule) as an inspected file's: the what-if model reads as the file would.
    const summary = summarizeTensors(tensors);
    const info: ModelInfo = {
        file: "",
        fileName: label,
        fileBytes: summary.tensorBytes,
        architecture: "llama",
        name: label,
        parameters: summary.elements,
        weightType: summary.dominantType != null ? ggmlTypeName(summary.dominantType) : type.toUpperCase(),
        tensorTypes: summary.tensorTypes,
        nLayer: shape.nLayer,
        nEmbd: shape.nEmbd,
        nHead: shape.nHead,
        nHeadKv: shape.nHeadKv,
        nFf: shape.nFf,
        vocabSize: shape.vocabSize,
        contextLength: shape.contextLength,
        bytesPerLayer: summary.bytesPerLayer,
        tokenEmbdBytes: summary.tokenEmbdBytes,
        outputBytes: summary.outputBytes,
        tensorBytes: summary.tensorBytes,
        synthetic: true
    };
    return {info, tensors, ggufFileInfo: syntheticGgufFileInfo(shape, tensors, label)};
}
