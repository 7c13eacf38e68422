#pragma once
// ONNX's own shape inference (libonnx), run at import to fill value_info for
// intermediates so constant folding can fold Shape ops, behind a guard for
// the graphs that crash libonnx 1.12's inference.
#include <onnx/onnx_pb.h>

namespace neuropipe::nn::onnx_import {

// False for graphs libonnx 1.12's inference would crash on (all found by
// tests/fuzz): untyped graph inputs, nodes reading a name nothing defined before them, nodes its
// schema check rejects (missing or mistyped required attributes: null
// reads), zero or negative strides/dilations/kernel sizes
// (SIGFPE), Conv/pool nodes whose input and weight ranks or spatial
// attributes disagree (out-of-bounds reads). `opset`: the default domain's.
bool safe_for_shape_inference(const onnx::GraphProto& graph, int opset);

// Runs libonnx's inference when the opset has schemas (<= 17), the file names
// the default domain once and the graph is safe; failures are not fatal (types are advisory, kernels check real
// shapes at run time), so a rejected graph keeps only its declared shapes.
void infer_shapes(onnx::ModelProto& proto, int opset);

}  // namespace neuropipe::nn::onnx_import
