// A model described by shape and weight type, without a file: the ModelInfo an inspection of a file of
// that shape would give (from the same tensor plan the synthetic writer uses), for what-if predictions.
import type {GgufFileInfo} from "node-llama-cpp";
import type {ModelInfo, ModelShape, WeightType} from "../types.js";
import {planSyntheticTensors, type PlannedTensor} from "../models/planSyntheticTensors.js";
import {ggmlTypeName} from "../models/ggmlTypes.js";
import {tensorKind} from "../models/inspectModel.js";
import {syntheticGgufFileInfo} from "./syntheticGgufFileInfo.js";

export interface ShapeModel {
    info: ModelInfo,
    tensors: PlannedTensor[],
    ggufFileInfo: GgufFileInfo
}

export function modelFromShape(shape: ModelShape, type: WeightType, label = `${type} what-if model`): ShapeModel {
    const tensors = planSyntheticTensors(shape, type);
    const tensorTypes: Record<string, string[]> = {};
    let layerBytes = 0;
    let tokenEmbdBytes = 0;
    let outputBytes = 0;
    let parameters = 0;
    const layerTypeBytes = new Map<string, number>();
    for (const tensor of tensors) {
        const kind = tensorKind(tensor.name);
        const typeName = ggmlTypeName(tensor.ggmlType);
        const seen = tensorTypes[kind] ?? [];
        if (!seen.includes(typeName))
            seen.push(typeName);
        tensorTypes[kind] = seen;
        parameters += tensor.dims.reduce((product, dim) => product * dim, 1);
        if (tensor.name.startsWith("blk.")) {
            layerBytes += tensor.bytes;
            if (tensor.dims.length > 1)
                layerTypeBytes.set(typeName, (layerTypeBytes.get(typeName) ?? 0) + tensor.bytes);
        } else if (kind === "token_embd")
            tokenEmbdBytes += tensor.bytes;
        else
            outputBytes += tensor.bytes;
    }
    const weightType = [...layerTypeBytes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? type.toUpperCase();
    const tensorBytes = layerBytes + tokenEmbdBytes + outputBytes;
    const info: ModelInfo = {
        file: "",
        fileName: label,
        fileBytes: tensorBytes,
        architecture: "llama",
        name: label,
        parameters,
        weightType,
        tensorTypes,
        nLayer: shape.nLayer,
        nEmbd: shape.nEmbd,
        nHead: shape.nHead,
        nHeadKv: shape.nHeadKv,
        nFf: shape.nFf,
        vocabSize: shape.vocabSize,
        contextLength: shape.contextLength,
        bytesPerLayer: layerBytes / shape.nLayer,
        tokenEmbdBytes,
        outputBytes,
        tensorBytes,
        synthetic: true
    };
    return {info, tensors, ggufFileInfo: syntheticGgufFileInfo(shape, tensors, label)};
}
