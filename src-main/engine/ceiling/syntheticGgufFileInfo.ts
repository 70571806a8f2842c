// The GGUF file info node-llama-cpp's GgufInsights would read from a file of this shape and tensor plan,
// built without the file, so "what if" predictions for a 70B model use the same memory estimates as a
// real file does. Only what the estimates read is filled in: the architecture metadata and tensor list.
// With no source data, GgufInsights skips its load simulation and uses its arithmetic estimate.
import type {GgufFileInfo} from "node-llama-cpp";
import type {ModelShape} from "../types.js";
import type {PlannedTensor} from "../models/planSyntheticTensors.js";

const ALIGNMENT = 32;

export function syntheticGgufFileInfo(shape: ModelShape, tensors: readonly PlannedTensor[], name = "what-if model"): GgufFileInfo {
    const architectureMetadata = {
        vocab_size: shape.vocabSize,
        context_length: shape.contextLength,
        embedding_length: shape.nEmbd,
        block_count: shape.nLayer,
        feed_forward_length: shape.nFf,
        rope: {dimension_count: shape.nEmbd / shape.nHead},
        attention: {head_count: shape.nHead, head_count_kv: shape.nHeadKv, layer_norm_rms_epsilon: 1e-5}
    };
    let offset = 0;
    const fullTensorInfo = tensors.map((tensor) => {
        const info = {name: tensor.name, dimensions: [...tensor.dims], ggmlType: tensor.ggmlType, offset, fileOffset: offset, filePart: 1};
        offset += Math.ceil(tensor.bytes / ALIGNMENT) * ALIGNMENT;
        return info;
    });
    const info = {
        version: 3,
        tensorCount: tensors.length,
        metadata: {general: {architecture: "llama", name}, llama: architectureMetadata},
        metadataSize: 0,
        architectureMetadata,
        tensorInfo: fullTensorInfo,
        tensorInfoSize: 0,
        splicedParts: 1,
        totalTensorCount: tensors.length,
        totalMetadataSize: 0,
        fullTensorInfo,
        totalTensorInfoSize: 0,
        sourceData: []
    };
    // The GgufFileInfo type spells out every metadata key of every architecture; this object holds the
    // subset the estimates read, checked against GgufInsights in test/unit/fitModel.test.ts.
    return info as unknown as GgufFileInfo;
}
