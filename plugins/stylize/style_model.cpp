#include "style_model.hpp"

#include <opencv2/imgproc.hpp>

namespace neuropipe::stylize {
namespace {

// The pixel mapping of the output tensor, from the manifest's decoding name.
nn::ImageToTensor output_spec(const models::ModelEntry& entry) {
  const models::OutputSpec& out = entry.outputs.front();
  nn::ImageToTensor spec;
  spec.rgb = entry.input->color == models::ColorOrder::RGB;
  if (out.decoding == "image_bgr_0_255") {
    spec.rgb = false;
  } else if (out.decoding == "image_rgb_0_255") {
    spec.rgb = true;
  } else if (out.decoding == "image_tanh") {  // y in [-1, 1]: pixel = (y + 1) * 127.5
    spec.scale = 1.f / 127.5f;
    spec.mean[0] = spec.mean[1] = spec.mean[2] = 1.f;
  } else {
    throw Error("model '" + entry.name + "' output '" + out.name + "': decoding '" + out.decoding +
                "' is not an image (expected image_bgr_0_255, image_rgb_0_255 or image_tanh)");
  }
  return spec;
}

}  // namespace

StyleModel::StyleModel(const std::string& model_name, plugin::ResizeMode fit, plugin::Context& ctx)
    : name_(model_name), fit_(fit) {
  const models::ModelEntry& entry = ctx.models().info(model_name);
  if (!entry.input) throw Error("model '" + model_name + "' has no input spec in the manifest");
  if (entry.outputs.empty()) throw Error("model '" + model_name + "' lists no outputs in the manifest");
  input_ = *entry.input;
  output_name_ = entry.outputs.front().name;
  output_spec_ = output_spec(entry);
  sessions_ = std::make_unique<nn::SessionPool>(ctx.load_store_model(model_name));
}

std::vector<cv::Mat> StyleModel::run(std::span<const cv::Mat> frames) {
  const auto n = static_cast<int64_t>(frames.size());
  std::vector<plugin::Fit> fits;
  nn::Tensor batch;
  for (int64_t i = 0; i < n; ++i) {
    plugin::PreparedInput in = plugin::prepare_input(frames[i], input_, fit_);
    if (i == 0) {
      nn::Shape shape = in.tensor.shape();
      shape[0] = n;
      batch = nn::Tensor::empty(nn::DType::f32, shape);
    }
    nn::image_to_tensor(in.resized, plugin::tensor_spec(input_), batch, i);
    fits.push_back(in.fit);
  }
  auto outputs = sessions_->run({{input_.tensor, batch}});
  auto it = outputs.find(output_name_);
  if (it == outputs.end()) throw Error("model '" + name_ + "' produced no output '" + output_name_ + "'");
  std::vector<cv::Mat> styled;
  for (int64_t i = 0; i < n; ++i) styled.push_back(to_frame(it->second, i, fits[i]));
  return styled;
}

// Letterboxed inputs: only the top-left region holding the frame is kept,
// then scaled back, so the padding never stretches into the picture.
cv::Mat StyleModel::to_frame(const nn::Tensor& output, int64_t n, const plugin::Fit& fit) const {
  cv::Mat image = nn::tensor_to_image(output, output_spec_, n);
  if (fit_ == plugin::ResizeMode::letterbox) {
    const cv::Size valid(std::min(image.cols, int(std::lround(fit.frame_size.width * fit.scale_x))),
                         std::min(image.rows, int(std::lround(fit.frame_size.height * fit.scale_y))));
    image = image(cv::Rect(cv::Point(0, 0), valid));
  }
  cv::Mat resized;
  cv::resize(image, resized, fit.frame_size, 0, 0, cv::INTER_LINEAR);
  return resized;
}

}  // namespace neuropipe::stylize
