// Resize and Upsample: old opsets, opset-18 options and the fused NCHW path.
#include <catch2/catch.hpp>
#include <cmath>

#include "neuropipe/error.hpp"
#include "single_node.hpp"

using neuropipe::nn::DType;
using neuropipe::nn::Shape;
using neuropipe::nn::Tensor;
using neuropipe::test::floats;
using neuropipe::test::ints;
using neuropipe::test::SingleNode;
using neuropipe::test::values;

TEST_CASE("Upsample at opset 9 is asymmetric bilinear with clamped edges", "[nn][ops][resample]") {
  const Tensor y = SingleNode("Upsample", 9)
                       .input(floats({1, 2, 3, 4}, {1, 1, 2, 2}))
                       .constant(floats({1, 1, 2, 2}, {4}))
                       .attr("mode", std::string("linear"))
                       .run()[0];
  CHECK(y.shape() == Shape{1, 1, 4, 4});
  CHECK(values(y) == std::vector<float>{1, 1.5f, 2, 2, 2, 2.5f, 3, 3, 3, 3.5f, 4, 4, 3, 3.5f, 4, 4});
}

TEST_CASE("Upsample at opset 7 takes scales as an attribute", "[nn][ops][resample]") {
  const Tensor y = SingleNode("Upsample", 7)
                       .input(floats({1, 2, 3, 4}, {1, 1, 2, 2}))
                       .attr("scales", std::vector<float>{1, 1, 1, 3})
                       .run()[0];
  CHECK(values(y) == std::vector<float>{1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4});
}

TEST_CASE("Resize at opset 10 rounds nearest up when shrinking", "[nn][ops][resample]") {
  const Tensor y = SingleNode("Resize", 10)
                       .input(floats({1, 2, 3, 4, 5, 6, 7, 8}, {1, 1, 2, 4}))
                       .constant(floats({1, 1, 0.6f, 0.6f}, {4}))
                       .run()[0];
  CHECK(y.shape() == Shape{1, 1, 1, 2});
  CHECK(values(y) == std::vector<float>{1, 3});
}

TEST_CASE("Resize at opset 18 resizes only `axes`, keeping the aspect ratio", "[nn][ops][resample]") {
  const Tensor y = SingleNode("Resize", 18)
                       .input(floats({1, 2, 3, 4, 5, 6, 7, 8}, {1, 1, 2, 4}))
                       .absent()
                       .absent()
                       .constant(ints({3, 6}, {2}))
                       .attr("axes", std::vector<int64_t>{2, 3})
                       .attr("keep_aspect_ratio_policy", std::string("not_larger"))
                       .attr("coordinate_transformation_mode", std::string("asymmetric"))
                       .attr("nearest_mode", std::string("floor"))
                       .run()[0];
  CHECK(y.shape() == Shape{1, 1, 3, 6});
  CHECK(values(y) == std::vector<float>{1, 1, 2, 3, 3, 4, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8});
}

TEST_CASE("Fused NCHW bilinear equals the dim-by-dim path", "[nn][ops][resample]") {
  std::vector<float> data(2 * 5 * 7);
  for (size_t i = 0; i < data.size(); ++i) data[i] = std::sin(0.37f * static_cast<float>(i));
  const auto resize = [&](const Shape& in_shape, const std::vector<int64_t>& sizes) {
    return SingleNode("Resize", 13)
        .input(floats(data, in_shape))
        .absent()
        .absent()
        .constant(ints(sizes, {static_cast<int64_t>(sizes.size())}))
        .attr("mode", std::string("linear"))
        .run()[0];
  };
  const Tensor fused = resize({1, 2, 5, 7}, {1, 2, 9, 4});          // 4-D: one fused pass
  const Tensor general = resize({1, 1, 2, 5, 7}, {1, 1, 2, 9, 4});  // 5-D: one pass per dim
  const std::vector<float> a = values(fused), b = values(general);
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(b[i]).margin(1e-6));
}

TEST_CASE("Resize rejects what it cannot do at load, naming it", "[nn][ops][resample][errors]") {
  const Tensor x = floats({1, 2, 3, 4}, {1, 1, 2, 2});
  CHECK_THROWS_WITH(SingleNode("Resize", 18)
                        .input(x)
                        .absent()
                        .constant(floats({1, 1, 2, 2}, {4}))
                        .attr("antialias", int64_t{1})
                        .attr("mode", std::string("linear"))
                        .run(),
                    Catch::Contains("antialias"));
  CHECK_THROWS_WITH(SingleNode("Resize", 13)
                        .input(x)
                        .absent()
                        .constant(floats({1, 1, 2, 2}, {4}))
                        .attr("coordinate_transformation_mode", std::string("diagonal"))
                        .run(),
                    Catch::Contains("diagonal"));
  CHECK_THROWS_AS(SingleNode("Resize", 13).input(x).absent().constant(floats({1, 2}, {2})).run(),
                  neuropipe::Error);
}
