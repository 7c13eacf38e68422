// Conv GEMM paths with several (image, group) items run whole items on each
// thread (conv.cpp split_by_image). Each image of a batch, and each group,
// must come out exactly as when it runs alone on one thread, and match a
// direct reference: pointwise, shifted-window, implicit-im2col and pixel-major paths.
#include <catch2/catch.hpp>

#include <cmath>

#include "model_builder.hpp"

using namespace neuropipe;
using test::ModelBuilder;

namespace {

struct Case {
  const char* what;
  int64_t batch, c_in, c_out, h, w, k, stride, pad, group;
};

void add_ints(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& values) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}

void add_int(onnx::NodeProto& n, const std::string& name, int64_t value) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

std::vector<float> pattern(size_t n, int seed) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>((i * 37 + seed * 11) % 101) / 50.5f - 1.f;
  return v;
}

int64_t out_size(const Case& c, int64_t in) { return (in + 2 * c.pad - c.k) / c.stride + 1; }

std::shared_ptr<const nn::Model> conv_model(const Case& c, int64_t batch) {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {batch, c.c_in, c.h, c.w});
  m.initializer("W", {c.c_out, c.c_in / c.group, c.k, c.k}, pattern(c.c_out * c.c_in / c.group * c.k * c.k, 2));
  m.initializer("B", {c.c_out}, pattern(c.c_out, 3));
  auto& node = m.node("Conv", {"x", "W", "B"}, {"y"}, "conv");
  add_ints(node, "strides", {c.stride, c.stride});
  add_ints(node, "pads", {c.pad, c.pad, c.pad, c.pad});
  add_int(node, "group", c.group);
  m.output("y", onnx::TensorProto::FLOAT, {batch, c.c_out, out_size(c, c.h), out_size(c, c.w)});
  return m.load();
}

nn::Tensor image_tensor(const std::vector<float>& x, const Case& c, int64_t first, int64_t count) {
  const int64_t plane = c.c_in * c.h * c.w;
  nn::Tensor t = nn::Tensor::empty(nn::DType::f32, {count, c.c_in, c.h, c.w});
  std::copy(x.begin() + first * plane, x.begin() + (first + count) * plane, t.data<float>());
  return t;
}

// Direct convolution in double precision.
double reference_at(const Case& c, const std::vector<float>& x, int64_t n, int64_t o, int64_t oh, int64_t ow) {
  const std::vector<float> w = pattern(c.c_out * c.c_in / c.group * c.k * c.k, 2);
  const int64_t per_group_in = c.c_in / c.group, per_group_out = c.c_out / c.group;
  double sum = pattern(c.c_out, 3)[o];
  for (int64_t ci = 0; ci < per_group_in; ++ci)
    for (int64_t kh = 0; kh < c.k; ++kh)
      for (int64_t kw = 0; kw < c.k; ++kw) {
        const int64_t ih = oh * c.stride - c.pad + kh, iw = ow * c.stride - c.pad + kw;
        if (ih < 0 || ih >= c.h || iw < 0 || iw >= c.w) continue;
        const int64_t channel = (o / per_group_out) * per_group_in + ci;
        sum += double(x[((n * c.c_in + channel) * c.h + ih) * c.w + iw]) *
               w[((o * per_group_in + ci) * c.k + kh) * c.k + kw];
      }
  return sum;
}

}  // namespace

TEST_CASE("Conv batches and groups split over threads equal each image run alone", "[nn][conv][threads]") {
  const Case cases[] = {
      {"pointwise", 4, 20, 24, 9, 11, 1, 1, 0, 1},
      {"3x3 shifted windows", 2, 7, 33, 13, 10, 3, 1, 1, 1},
      {"strided 1x1 (implicit im2col)", 4, 12, 17, 9, 9, 1, 2, 0, 1},
      {"grouped 3x3, batch 1", 1, 12, 40, 8, 9, 3, 1, 1, 4},
      {"grouped 3x3, odd batch", 3, 6, 10, 7, 7, 3, 2, 1, 2},
      {"3x3 on a 7x7 plane (pixel-major GEMM)", 2, 40, 64, 7, 7, 3, 1, 1, 1},
      {"strided 1x1 to a 7x7 plane (pixel-major GEMM)", 3, 24, 48, 13, 13, 1, 2, 0, 1},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const std::vector<float> x = pattern(c.batch * c.c_in * c.h * c.w, 1);
    const nn::Tensor y = nn::Session(conv_model(c, c.batch)).run({{"x", image_tensor(x, c, 0, c.batch)}}).at("y");
    const int64_t oh = out_size(c, c.h), ow = out_size(c, c.w), per_image = c.c_out * oh * ow;
    REQUIRE(y.shape() == nn::Shape{c.batch, c.c_out, oh, ow});
    nn::Session alone(conv_model(c, 1));
    for (int64_t n = 0; n < c.batch; ++n) {
      const nn::Tensor y1 = alone.run({{"x", image_tensor(x, c, n, 1)}}, nn::RunOptions{.max_threads = 1}).at("y");
      const float* batched = y.data<float>() + n * per_image;
      int64_t differing = 0;
      double worst = 0;
      for (int64_t i = 0; i < per_image; ++i) {
        differing += batched[i] != y1.data<float>()[i];
        const int64_t o = i / (oh * ow), p = i % (oh * ow);
        worst = std::max(worst, std::abs(batched[i] - reference_at(c, x, n, o, p / ow, p % ow)));
      }
      INFO("image " << n);
      CHECK(differing == 0);
      CHECK(worst < 1e-4);
    }
  }
}
