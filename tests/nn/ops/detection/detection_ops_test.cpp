// RoiAlign against torchvision, TopK's old attribute form and tie order.
#include <catch2/catch.hpp>
#include <cmath>

#include "single_node.hpp"

using neuropipe::nn::DType;
using neuropipe::nn::Shape;
using neuropipe::nn::Tensor;
using neuropipe::test::floats;
using neuropipe::test::ints;
using neuropipe::test::SingleNode;
using neuropipe::test::values;

namespace {

// torchvision.ops.roi_align(x, boxes, (2, 3), spatial_scale=0.8, sampling_ratio=0, aligned=...)
// on x = 3 * sin(0.1 * arange(84)).reshape(1, 2, 6, 7), torchvision 0.14.
const std::vector<float> kTorchvisionUnaligned = {
    2.689882f,  2.766292f, 2.795784f,  1.998952f,  1.741203f,  1.453721f, -1.981237f, -1.71422f,
    -1.417923f, 0.674371f, 1.010518f,  1.329728f,  2.225791f,  2.270521f, 2.309986f,  1.105281f,
    1.028357f,  0.948981f, -2.267874f, -2.225047f, -2.176998f, 1.467432f, 1.537016f,  1.603063f};
const std::vector<float> kTorchvisionAligned = {
    2.154084f,  2.356816f,  2.52112f,   2.623545f,  2.475108f,  2.286437f, -2.563743f, -2.410897f,
    -2.218864f, -0.422566f, -0.065195f, 0.293116f,  1.538053f,  1.593704f, 1.649355f,  1.946937f,
    1.89939f,   1.851842f,  -2.608503f, -2.598715f, -2.588926f, 0.55406f,  0.621553f,  0.689046f};

Tensor roi_features() {
  std::vector<float> x(84);
  for (size_t i = 0; i < x.size(); ++i) x[i] = 3.0f * std::sin(0.1f * static_cast<float>(i));
  return floats(x, {1, 2, 6, 7});
}

std::vector<float> roi_align(int opset, const char* mode) {
  SingleNode node("RoiAlign", opset);
  node.input(roi_features())
      .input(floats({0.5f, 1.2f, 5.3f, 4.9f, 2.0f, 0.0f, 3.0f, 6.0f}, {2, 4}))
      .input(ints({0, 0}, {2}))
      .attr("output_height", int64_t{2})
      .attr("output_width", int64_t{3})
      .attr("spatial_scale", 0.8f)
      .attr("sampling_ratio", int64_t{0});
  if (mode) node.attr("coordinate_transformation_mode", std::string(mode));
  return values(node.run()[0]);
}

void check_close(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(1e-4));
}

}  // namespace

TEST_CASE("RoiAlign matches torchvision roi_align", "[nn][ops][detection]") {
  SECTION("aligned=True exports as opset 16 half_pixel") {
    check_close(roi_align(16, "half_pixel"), kTorchvisionAligned);
  }
  SECTION("aligned=False exports as opset 16 output_half_pixel") {
    check_close(roi_align(16, "output_half_pixel"), kTorchvisionUnaligned);
  }
  SECTION("opset 10 always behaves as aligned=False") {
    check_close(roi_align(10, nullptr), kTorchvisionUnaligned);
  }
}

TEST_CASE("TopK before opset 10 takes k as an attribute; ties keep the lower index", "[nn][ops][detection]") {
  const auto out = SingleNode("TopK", 9)
                       .input(floats({3, 1, 3, 2}, {1, 4}))
                       .attr("k", int64_t{3})
                       .outputs({DType::f32, DType::i64})
                       .run();
  CHECK(values(out[0]) == std::vector<float>{3, 3, 2});
  CHECK(out[1].to_int64_vector() == std::vector<int64_t>{0, 2, 3});
}

TEST_CASE("NonMaxSuppression keeps nothing when max_output_boxes_per_class is absent",
          "[nn][ops][detection]") {
  const Tensor boxes = floats({0, 0, 1, 1, 0, 0, 1, 1}, {1, 2, 4});
  const Tensor scores = floats({0.9f, 0.8f}, {1, 1, 2});
  const Tensor none =
      SingleNode("NonMaxSuppression", 11).input(boxes).input(scores).outputs({DType::i64}).run()[0];
  CHECK(none.shape() == Shape{0, 3});
  const Tensor one = SingleNode("NonMaxSuppression", 11)
                         .input(boxes)
                         .input(scores)
                         .constant(ints({5}, {1}))
                         .outputs({DType::i64})
                         .run()[0];
  CHECK(one.to_int64_vector() == std::vector<int64_t>{0, 0, 0});
}
