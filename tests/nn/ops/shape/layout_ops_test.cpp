// Shape and layout kernels: forms the ONNX node suite does not cover.
#include <catch2/catch.hpp>
#include <numeric>

#include "neuropipe/error.hpp"
#include "single_node.hpp"

using neuropipe::nn::DType;
using neuropipe::nn::Shape;
using neuropipe::nn::Tensor;
using neuropipe::test::floats;
using neuropipe::test::ints;
using neuropipe::test::SingleNode;
using neuropipe::test::values;

namespace {

Tensor iota_tensor(const Shape& shape) {
  Tensor t = Tensor::empty(DType::f32, shape);
  std::iota(t.data<float>(), t.data<float>() + t.numel(), 0.0f);
  return t;
}

// Transposes by index arithmetic, the obvious way, to check the tiled kernel.
std::vector<float> reference_transpose(const Tensor& x, const std::vector<int64_t>& perm) {
  const Shape& in = x.shape();
  Shape out;
  for (int64_t p : perm) out.push_back(in[static_cast<size_t>(p)]);
  std::vector<float> result(static_cast<size_t>(x.numel()));
  std::vector<int64_t> idx(out.size(), 0);
  for (size_t flat = 0; flat < result.size(); ++flat) {
    int64_t rest = static_cast<int64_t>(flat), src = 0;
    for (size_t d = out.size(); d-- > 0;) {
      idx[d] = rest % out[d];
      rest /= out[d];
    }
    for (size_t d = 0; d < out.size(); ++d) {
      int64_t stride = 1;
      for (size_t k = static_cast<size_t>(perm[d]) + 1; k < in.size(); ++k) stride *= in[k];
      src += idx[d] * stride;
    }
    result[flat] = x.data<float>()[src];
  }
  return result;
}

}  // namespace

TEST_CASE("Transpose matches index arithmetic across tile borders", "[nn][ops][shape]") {
  const Tensor x = iota_tensor({2, 35, 33, 17});
  for (const std::vector<int64_t>& perm :
       std::vector<std::vector<int64_t>>{{0, 2, 3, 1}, {0, 3, 1, 2}, {3, 2, 1, 0}, {1, 0, 2, 3}}) {
    CAPTURE(perm);
    const Tensor y = SingleNode("Transpose", 13).input(x).attr("perm", perm).run()[0];
    CHECK(values(y) == reference_transpose(x, perm));
  }
}

TEST_CASE("Slice before opset 10 takes starts/ends/axes attributes", "[nn][ops][shape]") {
  const Tensor y = SingleNode("Slice", 9)
                       .input(iota_tensor({3, 4}))
                       .attr("starts", std::vector<int64_t>{1, -3})
                       .attr("ends", std::vector<int64_t>{1000, 3})
                       .attr("axes", std::vector<int64_t>{0, 1})
                       .run()[0];
  CHECK(y.shape() == Shape{2, 2});
  CHECK(values(y) == std::vector<float>{5, 6, 9, 10});
}

TEST_CASE("Split at opset 18 cuts num_outputs parts, the last one smaller", "[nn][ops][shape]") {
  const auto parts = SingleNode("Split", 18)
                         .input(iota_tensor({7}))
                         .attr("num_outputs", int64_t{3})
                         .outputs({DType::f32, DType::f32, DType::f32})
                         .run();
  CHECK(values(parts[0]) == std::vector<float>{0, 1, 2});
  CHECK(values(parts[1]) == std::vector<float>{3, 4, 5});
  CHECK(values(parts[2]) == std::vector<float>{6});
}

TEST_CASE("Pad before opset 11 takes pads and value attributes", "[nn][ops][shape]") {
  const Tensor x = iota_tensor({1, 1, 2, 3});
  SECTION("reflect, as the style-transfer models use it") {
    const Tensor y = SingleNode("Pad", 7)
                         .input(x)
                         .attr("mode", std::string("reflect"))
                         .attr("pads", std::vector<int64_t>{0, 0, 1, 2, 0, 0, 1, 2})
                         .run()[0];
    CHECK(y.shape() == Shape{1, 1, 4, 7});
    CHECK(values(y) == std::vector<float>{5, 4, 3, 4, 5, 4, 3,  //
                                          2, 1, 0, 1, 2, 1, 0,  //
                                          5, 4, 3, 4, 5, 4, 3,  //
                                          2, 1, 0, 1, 2, 1, 0});
  }
  SECTION("constant with a value, negative pads crop") {
    const Tensor y = SingleNode("Pad", 7)
                         .input(x)
                         .attr("value", 9.0f)
                         .attr("pads", std::vector<int64_t>{0, 0, 0, -1, 0, 0, 1, 0})
                         .run()[0];
    CHECK(y.shape() == Shape{1, 1, 3, 2});
    CHECK(values(y) == std::vector<float>{1, 2, 4, 5, 9, 9});
  }
  SECTION("wrap and edge from inputs") {
    const Tensor wrap = SingleNode("Pad", 18)
                            .input(x)
                            .constant(ints({0, 0, 0, 2, 0, 0, 0, 1}, {8}))
                            .attr("mode", std::string("wrap"))
                            .run()[0];
    CHECK(values(wrap) == std::vector<float>{1, 2, 0, 1, 2, 0, 4, 5, 3, 4, 5, 3});
    const Tensor edge = SingleNode("Pad", 18)
                            .input(x)
                            .constant(ints({1, 1}, {2}))
                            .absent()
                            .constant(ints({3}, {1}))
                            .attr("mode", std::string("edge"))
                            .run()[0];
    CHECK(values(edge) == std::vector<float>{0, 0, 1, 2, 2, 3, 3, 4, 5, 5});
  }
}

TEST_CASE("Crop cuts a border or a window of the given size", "[nn][ops][shape]") {
  const Tensor x = iota_tensor({1, 2, 4, 5});
  const Tensor border =
      SingleNode("Crop", 7).input(x).attr("border", std::vector<int64_t>{1, 1, 2, 1}).run()[0];
  CHECK(border.shape() == Shape{1, 2, 2, 2});
  CHECK(values(border) == std::vector<float>{6, 7, 11, 12, 26, 27, 31, 32});
  const Tensor window = SingleNode("Crop", 7)
                            .input(x)
                            .attr("border", std::vector<int64_t>{2, 1, 0, 0})
                            .attr("scale", std::vector<int64_t>{3, 1})
                            .run()[0];
  CHECK(values(window) == std::vector<float>{7, 12, 17, 27, 32, 37});
}

TEST_CASE("Bad shapes and indices fail naming the node", "[nn][ops][shape][errors]") {
  CHECK_THROWS_WITH(SingleNode("Reshape", 14).input(iota_tensor({2, 3})).constant(ints({4, -1}, {2})).run(),
                    Catch::Contains("under_test") && Catch::Contains("Reshape"));
  CHECK_THROWS_AS(SingleNode("Gather", 13).input(iota_tensor({3})).constant(ints({3}, {1})).run(),
                  neuropipe::Error);
  CHECK_THROWS_WITH(
      SingleNode("Transpose", 13).input(iota_tensor({2, 3})).attr("perm", std::vector<int64_t>{0, 0}).run(),
      Catch::Contains("perm"));
  CHECK_THROWS_WITH(
      SingleNode("Crop", 7).input(iota_tensor({1, 1, 2, 2})).attr("border", std::vector<int64_t>{1, 1}).run(),
      Catch::Contains("border"));
  CHECK_THROWS_WITH(SingleNode("Pad", 11)
                        .input(iota_tensor({2}))
                        .constant(ints({1, 1}, {2}))
                        .attr("mode", std::string("mirror"))
                        .run(),
                    Catch::Contains("mirror"));
}
