#include "nn/ops/dense/spatial_attributes.hpp"

namespace neuropipe::nn::ops {

namespace {

AutoPad parse_auto_pad(const KernelBuildContext& b) {
  const std::string s = b.attributes().get_string("auto_pad", "NOTSET");
  if (s == "NOTSET" || s.empty()) return AutoPad::notset;
  if (s == "SAME_UPPER") return AutoPad::same_upper;
  if (s == "SAME_LOWER") return AutoPad::same_lower;
  if (s == "VALID") return AutoPad::valid;
  b.fail("attribute auto_pad has unknown value '" + s + "'");
  __builtin_unreachable();  // fail() throws; GCC does not see [[noreturn]] through the virtual call
}

void require_all(const KernelBuildContext& b, const std::vector<int64_t>& v, int64_t min, const char* name) {
  for (int64_t x : v)
    if (x < min) b.fail(std::string("attribute ") + name + " has invalid value " + std::to_string(x));
}

// Attribute vector of size `rank`, or `def` everywhere when the attribute was absent.
std::vector<int64_t> sized(const KernelContext& ctx, const std::vector<int64_t>& v, size_t rank, int64_t def,
                           const char* name) {
  if (v.empty()) return std::vector<int64_t>(rank, def);
  if (v.size() != rank)
    ctx.fail(std::string("attribute ") + name + " has " + std::to_string(v.size()) + " values, expected " +
             std::to_string(rank));
  return v;
}

int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

SpatialAttributes SpatialAttributes::parse(const KernelBuildContext& b) {
  const Attributes& at = b.attributes();
  SpatialAttributes a;
  a.kernel_shape = at.get_ints("kernel_shape");
  a.strides = at.get_ints("strides");
  a.dilations = at.get_ints("dilations");
  a.pads = at.get_ints("pads");
  a.auto_pad = parse_auto_pad(b);
  a.ceil_mode = at.get_int("ceil_mode", 0) != 0;
  require_all(b, a.kernel_shape, 1, "kernel_shape");
  require_all(b, a.strides, 1, "strides");
  require_all(b, a.dilations, 1, "dilations");
  require_all(b, a.pads, 0, "pads");
  return a;
}

SpatialPlan plan_spatial(const KernelContext& ctx, const SpatialAttributes& a, const std::vector<int64_t>& in,
                         const std::vector<int64_t>& kernel) {
  const size_t rank = in.size();
  SpatialPlan p;
  p.kernel = sized(ctx, kernel, rank, 1, "kernel_shape");
  p.stride = sized(ctx, a.strides, rank, 1, "strides");
  p.dilation = sized(ctx, a.dilations, rank, 1, "dilations");
  const std::vector<int64_t> pads = sized(ctx, a.pads, 2 * rank, 0, "pads");
  p.pad_begin.assign(pads.begin(), pads.begin() + static_cast<long>(rank));
  p.pad_end.assign(pads.begin() + static_cast<long>(rank), pads.end());
  p.out.resize(rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t extent = (p.kernel[d] - 1) * p.dilation[d] + 1, s = p.stride[d];
    switch (a.auto_pad) {
      case AutoPad::same_upper:
      case AutoPad::same_lower: {
        p.out[d] = ceil_div(in[d], s);
        const int64_t total = std::max<int64_t>(0, (p.out[d] - 1) * s + extent - in[d]);
        p.pad_begin[d] = a.auto_pad == AutoPad::same_upper ? total / 2 : total - total / 2;
        p.pad_end[d] = total - p.pad_begin[d];
        break;
      }
      case AutoPad::valid:
        p.pad_begin[d] = p.pad_end[d] = 0;
        p.out[d] = floor_div(in[d] - extent, s) + 1;
        break;
      case AutoPad::notset: {
        const int64_t span = in[d] + p.pad_begin[d] + p.pad_end[d] - extent;
        p.out[d] = (a.ceil_mode ? ceil_div(span, s) : floor_div(span, s)) + 1;
        // A ceil-mode window must start inside the input or its leading padding.
        if (a.ceil_mode && (p.out[d] - 1) * s >= in[d] + p.pad_begin[d]) --p.out[d];
        break;
      }
    }
    if (p.out[d] <= 0)
      ctx.fail("spatial dimension " + std::to_string(d) + " of size " + std::to_string(in[d]) +
               " is too small for kernel extent " + std::to_string(extent) + " (output size " +
               std::to_string(p.out[d]) + ")");
  }
  return p;
}

}  // namespace neuropipe::nn::ops
