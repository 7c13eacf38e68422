// RoiAlign: pools each region of interest of an NCHW feature map into an
// output_height x output_width grid, each cell the average (or max) of
// bilinear samples, exactly as torchvision and ONNX Runtime compute it.
// coordinate_transformation_mode half_pixel shifts the box by -0.5 pixel
// (torchvision aligned=True); output_half_pixel (opset 10's only behaviour,
// aligned=False) does not, and stretches boxes to at least 1x1.
// sampling_ratio 0 picks ceil(roi size / output size) samples per cell.
#include <algorithm>
#include <cmath>
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn {
namespace {

// One bilinear sample: four neighbour offsets in the plane and their weights.
struct Sample {
  int64_t pos[4] = {0, 0, 0, 0};
  float w[4] = {0, 0, 0, 0};
};

// ORT/torchvision rule: samples more than one pixel outside contribute 0,
// others are clamped to the border.
Sample bilinear_sample(float y, float x, int64_t height, int64_t width) {
  Sample s;
  if (y < -1.0f || y > static_cast<float>(height) || x < -1.0f || x > static_cast<float>(width)) return s;
  y = std::max(y, 0.0f);
  x = std::max(x, 0.0f);
  int64_t y0 = static_cast<int64_t>(y), x0 = static_cast<int64_t>(x), y1, x1;
  if (y0 >= height - 1) {
    y0 = y1 = height - 1;
    y = static_cast<float>(y0);
  } else {
    y1 = y0 + 1;
  }
  if (x0 >= width - 1) {
    x0 = x1 = width - 1;
    x = static_cast<float>(x0);
  } else {
    x1 = x0 + 1;
  }
  const float ly = y - static_cast<float>(y0), lx = x - static_cast<float>(x0), hy = 1.0f - ly,
              hx = 1.0f - lx;
  s.pos[0] = y0 * width + x0;
  s.pos[1] = y0 * width + x1;
  s.pos[2] = y1 * width + x0;
  s.pos[3] = y1 * width + x1;
  s.w[0] = hy * hx;
  s.w[1] = hy * lx;
  s.w[2] = ly * hx;
  s.w[3] = ly * lx;
  return s;
}

struct RoiGrid {
  std::vector<Sample> samples;  // per output cell, grid_h * grid_w samples
  int64_t per_cell = 1;
};

class RoiAlign final : public Kernel {
 public:
  explicit RoiAlign(const KernelBuildContext& b)
      : out_h_(b.attributes().get_int("output_height", 1)),
        out_w_(b.attributes().get_int("output_width", 1)),
        sampling_ratio_(b.attributes().get_int("sampling_ratio", 0)),
        spatial_scale_(b.attributes().get_float("spatial_scale", 1.0f)) {
    const std::string mode = b.attributes().get_string("mode", "avg");
    if (mode != "avg" && mode != "max") b.fail("mode must be avg or max, got '" + mode + "'");
    max_mode_ = mode == "max";
    const std::string ctm = b.attributes().get_string("coordinate_transformation_mode",
                                                      b.opset() >= 16 ? "half_pixel" : "output_half_pixel");
    if (ctm != "half_pixel" && ctm != "output_half_pixel") {
      b.fail("coordinate_transformation_mode must be half_pixel or output_half_pixel, got '" + ctm + "'");
    }
    half_pixel_ = ctm == "half_pixel";
    if (out_h_ <= 0 || out_w_ <= 0 || sampling_ratio_ < 0)
      b.fail("output size must be positive, sampling_ratio >= 0");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& rois = *ctx.input(1);
    const std::vector<int64_t> batch_index = ctx.input(2)->to_int64_vector();
    if (x.dtype() != DType::f32) ctx.fail("only float32 features are supported");
    if (x.rank() != 4) ctx.fail("X must be NCHW, got " + shape_to_string(x.shape()));
    if (rois.rank() != 2 || rois.dim(1) != 4)
      ctx.fail("rois must be [num_rois, 4], got " + shape_to_string(rois.shape()));
    if (static_cast<int64_t>(batch_index.size()) != rois.dim(0))
      ctx.fail("batch_indices must have one entry per roi");
    const Tensor roi_values = rois.to(DType::f32);
    const int64_t num_rois = rois.dim(0), channels = x.dim(1), height = x.dim(2), width = x.dim(3);
    float* out = ctx.output(0, DType::f32, {num_rois, channels, out_h_, out_w_}).data<float>();
    const int64_t cells = out_h_ * out_w_;
    ops::parallel_chunks(num_rois, 1, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const int64_t batch = batch_index[static_cast<size_t>(r)];
        if (batch < 0 || batch >= x.dim(0))
          ctx.fail("batch_indices[" + std::to_string(r) + "] is out of range");
        const RoiGrid grid = sample_grid(roi_values.data<float>() + r * 4, height, width);
        for (int64_t c = 0; c < channels; ++c) {
          const float* plane = x.data<float>() + (batch * channels + c) * height * width;
          pool_plane(plane, grid, out + (r * channels + c) * cells);
        }
      }
    });
  }

 private:
  RoiGrid sample_grid(const float* roi, int64_t height, int64_t width) const {
    const float offset = half_pixel_ ? 0.5f : 0.0f;
    const float start_w = roi[0] * spatial_scale_ - offset, start_h = roi[1] * spatial_scale_ - offset;
    float roi_w = roi[2] * spatial_scale_ - offset - start_w,
          roi_h = roi[3] * spatial_scale_ - offset - start_h;
    if (!half_pixel_) {
      roi_w = std::max(roi_w, 1.0f);
      roi_h = std::max(roi_h, 1.0f);
    }
    const float bin_h = roi_h / static_cast<float>(out_h_), bin_w = roi_w / static_cast<float>(out_w_);
    const int64_t grid_h = sampling_ratio_ > 0
                               ? sampling_ratio_
                               : static_cast<int64_t>(std::ceil(roi_h / static_cast<float>(out_h_)));
    const int64_t grid_w = sampling_ratio_ > 0
                               ? sampling_ratio_
                               : static_cast<int64_t>(std::ceil(roi_w / static_cast<float>(out_w_)));
    RoiGrid grid;
    grid.per_cell = grid_h * grid_w;
    for (int64_t ph = 0; ph < out_h_; ++ph) {
      for (int64_t pw = 0; pw < out_w_; ++pw) {
        for (int64_t iy = 0; iy < grid_h; ++iy) {
          const float y = start_h + static_cast<float>(ph) * bin_h +
                          (static_cast<float>(iy) + 0.5f) * bin_h / static_cast<float>(grid_h);
          for (int64_t ix = 0; ix < grid_w; ++ix) {
            const float xx = start_w + static_cast<float>(pw) * bin_w +
                             (static_cast<float>(ix) + 0.5f) * bin_w / static_cast<float>(grid_w);
            grid.samples.push_back(bilinear_sample(y, xx, height, width));
          }
        }
      }
    }
    return grid;
  }

  // Max mode takes the largest weighted neighbour of each sample, as ONNX Runtime does.
  void pool_plane(const float* plane, const RoiGrid& grid, float* out) const {
    const float count = static_cast<float>(std::max<int64_t>(grid.per_cell, 1));
    const Sample* s = grid.samples.data();
    for (int64_t cell = 0; cell < out_h_ * out_w_; ++cell) {
      float acc = 0.0f;
      for (int64_t i = 0; i < grid.per_cell; ++i, ++s) {
        if (max_mode_) {
          const float v = std::max(std::max(s->w[0] * plane[s->pos[0]], s->w[1] * plane[s->pos[1]]),
                                   std::max(s->w[2] * plane[s->pos[2]], s->w[3] * plane[s->pos[3]]));
          acc = i == 0 ? v : std::max(acc, v);
        } else {
          acc += s->w[0] * plane[s->pos[0]] + s->w[1] * plane[s->pos[1]] + s->w[2] * plane[s->pos[2]] +
                 s->w[3] * plane[s->pos[3]];
        }
      }
      out[cell] = max_mode_ ? acc : acc / count;
    }
  }

  int64_t out_h_, out_w_, sampling_ratio_;
  float spatial_scale_;
  bool max_mode_ = false;
  bool half_pixel_ = true;
};

NP_REGISTER_KERNEL("RoiAlign", 10, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<RoiAlign>(b); });

}  // namespace
}  // namespace neuropipe::nn
