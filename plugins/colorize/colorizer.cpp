#include "colorizer.hpp"

#include <opencv2/imgproc.hpp>

#include <neuropipe/error.hpp>

#include "ab_bins.hpp"
#include "annealed_mean.hpp"
#include "lab_color.hpp"

namespace neuropipe::colorize {
namespace {

bool predicts_bins(const models::ModelEntry& entry) {
  if (entry.outputs.empty()) throw Error("model '" + entry.name + "' lists no outputs in the manifest");
  const std::string& decoding = entry.outputs.front().decoding;
  if (decoding != "lab_ab_bins" && decoding != "lab_ab")
    throw Error("model '" + entry.name + "' output '" + entry.outputs.front().name + "': decoding '" + decoding +
                "' is not a colorization output (expected lab_ab_bins or lab_ab)");
  return decoding == "lab_ab_bins";
}

// [1,C,h,w] float planes as h x w CV_32FC(C) (channel-interleaved).
cv::Mat planes_to_mat(const float* data, int channels, int height, int width) {
  std::vector<cv::Mat> planes;
  for (int c = 0; c < channels; ++c)
    planes.emplace_back(height, width, CV_32F, const_cast<float*>(data) + size_t(c) * height * width);
  cv::Mat merged;
  cv::merge(planes, merged);
  return merged;
}

}  // namespace

std::vector<cv::Vec2f> manifest_ab_bins(const models::ModelEntry& entry, const std::filesystem::path& assets_dir) {
  if (!predicts_bins(entry)) return {};
  if (!entry.extra.contains("ab_bins") || !entry.extra["ab_bins"].is_string())
    throw Error("model '" + entry.name + "' (decoding lab_ab_bins) names no extra.ab_bins file in the manifest");
  return read_ab_bins(assets_dir / entry.extra["ab_bins"].get<std::string>());
}

Colorizer::Colorizer(const models::ModelEntry& entry, std::shared_ptr<const nn::Model> model,
                     std::vector<cv::Vec2f> bins)
    : name_(entry.name), uses_bins_(predicts_bins(entry)), bins_(std::move(bins)), sessions_(std::move(model)) {
  if (!entry.input) throw Error("model '" + name_ + "' has no input spec in the manifest");
  input_ = *entry.input;
  if (input_.channels != 1 || input_.width <= 0 || input_.height <= 0)
    throw Error("model '" + name_ + "': a colorizer takes one L channel of a fixed size (manifest input)");
  output_name_ = entry.outputs.front().name;
  ab_scale_ = entry.extra.value("ab_scale", 1.f);
  if (uses_bins_ && bins_.empty()) throw Error("model '" + name_ + "': no ab bins given");
}

cv::Mat Colorizer::predict_ab(const cv::Mat& l_plane, double temperature) {
  cv::Mat l_input;
  cv::resize(l_plane, l_input, input_size(), 0, 0, cv::INTER_LINEAR);
  // The manifest's normalisation: (L * scale - mean) / std.
  l_input.convertTo(l_input, CV_32F, input_.scale / input_.std[0], -input_.mean[0] / input_.std[0]);
  nn::Tensor tensor = nn::Tensor::empty(nn::DType::f32, {1, 1, input_.height, input_.width});
  l_input.copyTo(cv::Mat(input_.height, input_.width, CV_32F, tensor.data<float>()));
  const nn::NamedTensors outputs = sessions_.run({{input_.tensor, tensor}});
  const auto it = outputs.find(output_name_);
  if (it == outputs.end()) throw Error("model '" + name_ + "' produced no output '" + output_name_ + "'");
  cv::Mat ab = decode(it->second, temperature);
  if (ab.size() != input_size()) cv::resize(ab, ab, input_size(), 0, 0, cv::INTER_LINEAR);
  return ab;
}

cv::Mat Colorizer::decode(const nn::Tensor& output, double temperature) const {
  const nn::Shape& s = output.shape();
  const int64_t channels = uses_bins_ ? int64_t(bins_.size()) : 2;
  if (output.dtype() != nn::DType::f32 || s.size() != 4 || s[0] != 1 || s[1] != channels)
    throw Error("model '" + name_ + "' output '" + output_name_ + "' is " + nn::shape_to_string(s) +
                ", expected [1," + std::to_string(channels) + ",h,w] float" +
                (uses_bins_ ? " (one logit per ab bin)" : ""));
  const int height = int(s[2]), width = int(s[3]);
  if (uses_bins_) return annealed_mean(output.data<float>(), height, width, bins_, temperature);
  cv::Mat ab = planes_to_mat(output.data<float>(), 2, height, width);
  if (ab_scale_ != 1.f) ab *= ab_scale_;
  return ab;
}

double mean_chroma(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat chroma;
  cv::magnitude(a, b, chroma);
  return cv::mean(chroma)[0];
}

Colorized Colorizer::colorize(const cv::Mat& bgr, double temperature, double strength) {
  cv::Mat lab = bgr_to_lab(bgr);
  std::vector<cv::Mat> channels;
  cv::split(lab, channels);
  Colorized result;
  result.input_chroma = mean_chroma(channels[1], channels[2]);
  cv::Mat ab;
  cv::resize(predict_ab(channels[0], temperature), ab, bgr.size(), 0, 0, cv::INTER_LINEAR);
  std::vector<cv::Mat> predicted;
  cv::split(ab, predicted);
  for (int c = 0; c < 2; ++c) {  // blend in Lab so that L stays the input's exactly
    if (strength >= 1.0)
      channels[c + 1] = predicted[c];
    else
      cv::addWeighted(predicted[c], strength, channels[c + 1], 1.0 - strength, 0.0, channels[c + 1]);
  }
  result.output_chroma = mean_chroma(channels[1], channels[2]);
  cv::merge(channels, lab);
  result.bgr = lab_to_bgr(lab);
  return result;
}

}  // namespace neuropipe::colorize
