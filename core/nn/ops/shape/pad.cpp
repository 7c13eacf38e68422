// Pad: grows (or, with negative pads, crops) each dim. Modes: constant,
// reflect (mirror without repeating the edge), edge (repeat it) and wrap.
// Opsets 1-10 take `pads`/`value` attributes (opset 1 calls them `paddings`),
// later ones inputs `pads`, `constant_value` and, from 18, `axes`.
//
// Every output element has one source per dim (or none: the constant), so the
// kernel maps coordinates per dim once and then copies row by row, with a
// memcpy for the part of each row that is a straight copy of the input.
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/axes.hpp"
#include "nn/ops/shape/element_width.hpp"

namespace neuropipe::nn {
namespace {

enum class PadMode { constant, reflect, edge, wrap };

constexpr int64_t kOutside = -1;  // "take the constant"

PadMode parse_mode(const KernelBuildContext& b) {
  const std::string m = b.attributes().get_string("mode", "constant");
  if (m == "constant") return PadMode::constant;
  if (m == "reflect") return PadMode::reflect;
  if (m == "edge") return PadMode::edge;
  if (m != "wrap") b.fail("unknown mode '" + m + "' (expected constant, reflect, edge or wrap)");
  return PadMode::wrap;
}

// Source index along a dim of size n for output index o, given the leading pad.
int64_t source_index(int64_t o, int64_t pad_begin, int64_t n, PadMode mode) {
  int64_t i = o - pad_begin;
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case PadMode::constant:
      return kOutside;
    case PadMode::edge:
      return i < 0 ? 0 : n - 1;
    case PadMode::wrap:
      return ((i % n) + n) % n;
    case PadMode::reflect: {
      if (n == 1) return 0;
      const int64_t period = 2 * (n - 1);
      i = ((i % period) + period) % period;
      return i < n ? i : period - i;
    }
  }
  return kOutside;
}

class Pad final : public Kernel {
 public:
  explicit Pad(const KernelBuildContext& b)
      : mode_(parse_mode(b)),
        pads_attr_(b.attributes().has("paddings") ? b.attributes().get_ints("paddings")
                                                  : b.attributes().get_ints("pads")),
        value_attr_(b.attributes().get_float("value", 0.0f)),
        inputs_form_(b.opset() >= 11) {
    if (!inputs_form_ && pads_attr_.empty() && !b.attributes().has("pads"))
      b.fail("attribute 'pads' is required before opset 11");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    if (data.dtype() == DType::string) ctx.fail("string tensors are not supported");
    const std::vector<int64_t> pads = full_pads(ctx, data.rank());
    const size_t rank = data.rank();
    Shape out_shape = data.shape();
    for (size_t d = 0; d < rank; ++d) {
      out_shape[d] += pads[d] + pads[d + rank];
      if (out_shape[d] < 0) ctx.fail("pads crop dim " + std::to_string(d) + " below zero");
      if (data.dim(d) == 0 && out_shape[d] > 0 && mode_ != PadMode::constant) {
        ctx.fail("cannot pad an empty dim " + std::to_string(d) + " in this mode");
      }
    }
    Tensor& out = ctx.output(0, data.dtype(), out_shape);
    if (out.numel() == 0) return;
    if (rank == 0) {  // nothing to pad on a scalar
      std::memcpy(out.raw(), data.raw(), dtype_size(data.dtype()));
      return;
    }
    std::vector<uint8_t> value = constant_bytes(ctx, data.dtype());
    ops::visit_element_width(data.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      T fill;
      std::memcpy(&fill, value.data(), sizeof(T));
      pad_rows<T>(data, out, pads, fill);
    });
  }

 private:
  // Pads as [begin per dim..., end per dim...] over all dims.
  std::vector<int64_t> full_pads(const KernelContext& ctx, size_t rank) const {
    const auto optional = [&](size_t i) { return ctx.num_inputs() > i ? ctx.input(i) : nullptr; };
    const std::vector<int64_t> given = inputs_form_ ? optional(1)->to_int64_vector() : pads_attr_;
    std::vector<int64_t> axes;
    if (inputs_form_ && optional(3)) {
      const auto fail = [&](const std::string& m) { ctx.fail(m); };
      axes = ops::normalize_axes(optional(3)->to_int64_vector(), static_cast<int64_t>(rank), "axes", fail);
    } else {
      for (size_t d = 0; d < rank; ++d) axes.push_back(static_cast<int64_t>(d));
    }
    if (given.size() != 2 * axes.size()) {
      ctx.fail("pads has " + std::to_string(given.size()) + " entries, expected " +
               std::to_string(2 * axes.size()));
    }
    std::vector<int64_t> pads(2 * rank, 0);
    for (size_t i = 0; i < axes.size(); ++i) {
      pads[static_cast<size_t>(axes[i])] = given[i];
      pads[static_cast<size_t>(axes[i]) + rank] = given[i + axes.size()];
    }
    return pads;
  }

  // The constant's bytes in the data's element type.
  std::vector<uint8_t> constant_bytes(const KernelContext& ctx, DType dtype) const {
    std::vector<uint8_t> bytes(dtype_size(dtype), 0);
    const Tensor* value = inputs_form_ && ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    if (value && value->numel() > 0) {
      if (value->dtype() != dtype) ctx.fail("constant_value type differs from the data type");
      std::memcpy(bytes.data(), value->raw(), bytes.size());
      return bytes;
    }
    ops::visit_dtype(dtype, ops::AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T v = ops::convert<T>(value_attr_);
      std::memcpy(bytes.data(), &v, sizeof(T));
    });
    return bytes;
  }

  template <class T>
  void pad_rows(const Tensor& data, Tensor& out, const std::vector<int64_t>& pads, T fill) const {
    const Shape& in = data.shape();
    const Shape& os = out.shape();
    const size_t rank = in.size();
    // Per dim, the source index of every output index.
    std::vector<std::vector<int64_t>> sources(rank);
    for (size_t d = 0; d < rank; ++d) {
      for (int64_t o = 0; o < os[d]; ++o) sources[d].push_back(source_index(o, pads[d], in[d], mode_));
    }
    const std::vector<int64_t> in_strides = ops::contiguous_strides(in);
    const int64_t inner = rank ? os[rank - 1] : 1;
    const int64_t rows = out.numel() / inner;
    const T* src = data.data<T>();
    T* dst = out.data<T>();
    // The run of the row that copies input [copy_from, copy_from + copy_len) verbatim.
    const int64_t lead = rank ? pads[rank - 1] : 0, in_inner = rank ? in[rank - 1] : 1;
    const int64_t copy_at = std::max<int64_t>(0, lead), copy_end = std::min(inner, lead + in_inner);
    ops::parallel_chunks(rows, ops::grain_for_cost(inner), [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        T* o = dst + r * inner;
        int64_t rest = r, in_off = 0;
        bool outside = false;
        for (size_t d = rank - 1; d-- > 0;) {
          const int64_t s = sources[d][static_cast<size_t>(rest % os[d])];
          rest /= os[d];
          outside = outside || s == kOutside;
          in_off += s * in_strides[d];
        }
        if (outside) {
          std::fill(o, o + inner, fill);
          continue;
        }
        const T* row = src + in_off;
        const auto& cols = sources[rank - 1];
        for (int64_t j = 0; j < inner; ++j) {
          if (j == copy_at && copy_end > copy_at) {
            std::memcpy(o + j, row + (j - lead), static_cast<size_t>(copy_end - copy_at) * sizeof(T));
            j = copy_end - 1;
            continue;
          }
          const int64_t s = cols[static_cast<size_t>(j)];
          o[j] = s == kOutside ? fill : row[s];
        }
      }
    });
  }

  PadMode mode_;
  std::vector<int64_t> pads_attr_;
  float value_attr_;
  bool inputs_form_;
};

NP_REGISTER_KERNEL("Pad", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Pad>(b); });

}  // namespace
}  // namespace neuropipe::nn
