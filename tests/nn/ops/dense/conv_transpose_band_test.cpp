// ConvTranspose on an input tall enough that its column matrix is split into
// bands of input rows (kColumnBandBytes), against a direct reference: the bands
// must add up to the same output, including the rows where their kernel
// footprints overlap.
#include <catch2/catch.hpp>

#include "model_builder.hpp"

using namespace neuropipe;
using test::ModelBuilder;

namespace {

void add_ints(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& values) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

std::vector<float> pattern(size_t n, int seed) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>((i * 37 + seed * 11) % 101) / 50.5f - 1.f;
  return v;
}

}  // namespace

TEST_CASE("ConvTranspose split into row bands equals the direct sum", "[nn][conv_transpose]") {
  // 16 -> 8 channels, 3x3, stride 2, pads 1, output_padding 1, 100x100 -> 200x200:
  // 72 x 100 columns per input row, so 2 MB bands hold 72 rows and the image takes two.
  constexpr int64_t c_in = 16, c_out = 8, h = 100, w = 100, k = 3, s = 2, pad = 1, out_h = 200, out_w = 200;
  const auto x = pattern(c_in * h * w, 1), weights = pattern(c_in * c_out * k * k, 2),
             bias = pattern(c_out, 3);
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {1, c_in, h, w});
  m.initializer("W", {c_in, c_out, k, k}, weights);
  m.initializer("B", {c_out}, bias);
  auto& node = m.node("ConvTranspose", {"x", "W", "B"}, {"y"}, "up");
  add_ints(node, "strides", {s, s});
  add_ints(node, "pads", {pad, pad, pad, pad});
  add_ints(node, "output_padding", {1, 1});
  m.output("y", onnx::TensorProto::FLOAT, {1, c_out, out_h, out_w});
  nn::Tensor input = nn::Tensor::empty(nn::DType::f32, {1, c_in, h, w});
  std::copy(x.begin(), x.end(), input.data<float>());
  auto model = m.load();
  const nn::Tensor y = nn::Session(model).run({{"x", input}}).at("y");
  REQUIRE(y.shape() == nn::Shape{1, c_out, out_h, out_w});

  std::vector<double> expected(static_cast<size_t>(c_out * out_h * out_w));
  for (int64_t o = 0; o < c_out; ++o)
    for (int64_t i = 0; i < out_h * out_w; ++i) expected[o * out_h * out_w + i] = bias[o];
  for (int64_t c = 0; c < c_in; ++c)
    for (int64_t ih = 0; ih < h; ++ih)
      for (int64_t iw = 0; iw < w; ++iw)
        for (int64_t o = 0; o < c_out; ++o)
          for (int64_t kh = 0; kh < k; ++kh)
            for (int64_t kw = 0; kw < k; ++kw) {
              const int64_t oh = ih * s - pad + kh, ow = iw * s - pad + kw;
              if (oh < 0 || oh >= out_h || ow < 0 || ow >= out_w) continue;
              expected[(o * out_h + oh) * out_w + ow] +=
                  double(x[(c * h + ih) * w + iw]) * weights[((c * c_out + o) * k + kh) * k + kw];
            }
  double worst = 0;
  for (size_t i = 0; i < expected.size(); ++i)
    worst = std::max(worst, std::abs(double(y.data<float>()[i]) - expected[i]));
  CHECK(worst < 1e-4);
}
