#include "generator.hpp"

#include <opencv2/imgproc.hpp>

namespace neuropipe::translate {
namespace {

// The pixel mapping of the generator's output, from the manifest's decoding name.
nn::ImageToTensor output_spec(const models::ModelEntry& entry) {
  const models::OutputSpec& out = entry.outputs.front();
  nn::ImageToTensor spec;
  spec.rgb = entry.input->color == models::ColorOrder::RGB;
  if (out.decoding == "image_tanh") {  // y in [-1, 1]: pixel = (y + 1) * 127.5
    spec.scale = 1.f / 127.5f;
    spec.mean[0] = spec.mean[1] = spec.mean[2] = 1.f;
  } else if (out.decoding != "image_rgb_0_255" && out.decoding != "image_bgr_0_255") {
    throw Error("model '" + entry.name + "' output '" + out.name + "': decoding '" + out.decoding +
                "' is not an image (expected image_tanh, image_rgb_0_255 or image_bgr_0_255)");
  }
  if (out.decoding == "image_bgr_0_255") spec.rgb = false;
  return spec;
}

int round_up(int value, int multiple) { return (value + multiple - 1) / multiple * multiple; }

}  // namespace

Generator::Generator(const std::string& model_name, plugin::Context& ctx) : name_(model_name) {
  const models::ModelEntry& entry = ctx.models().info(model_name);
  if (!entry.input) throw Error("model '" + model_name + "' has no input spec in the manifest");
  if (entry.outputs.empty()) throw Error("model '" + model_name + "' lists no outputs in the manifest");
  input_ = *entry.input;
  output_name_ = entry.outputs.front().name;
  output_spec_ = output_spec(entry);
  multiple_ = entry.extra.value("size_multiple", 1);
  if (multiple_ < 1) throw Error("model '" + model_name + "': extra.size_multiple must be >= 1");
  sessions_ = std::make_unique<nn::SessionPool>(ctx.load_store_model(model_name));
}

cv::Mat Generator::run(const cv::Mat& bgr) {
  cv::Mat padded = bgr;
  if (any_size()) {
    const int pad_bottom = round_up(bgr.rows, multiple_) - bgr.rows;
    const int pad_right = round_up(bgr.cols, multiple_) - bgr.cols;
    if (pad_bottom > 0 || pad_right > 0)
      cv::copyMakeBorder(bgr, padded, 0, pad_bottom, 0, pad_right, cv::BORDER_REFLECT_101);
  } else if (bgr.size() != fixed_size()) {
    throw Error("model '" + name_ + "' takes " + std::to_string(input_.width) + "x" +
                std::to_string(input_.height) + " images, not " + std::to_string(bgr.cols) + "x" +
                std::to_string(bgr.rows));
  }
  plugin::PreparedInput in =
      plugin::prepare_input(padded, input_, plugin::ResizeMode::stretch, padded.size());
  auto outputs = sessions_->run({{input_.tensor, in.tensor}});
  auto it = outputs.find(output_name_);
  if (it == outputs.end()) throw Error("model '" + name_ + "' produced no output '" + output_name_ + "'");
  cv::Mat out = nn::tensor_to_image(it->second, output_spec_);
  if (out.size() != padded.size())
    throw Error("model '" + name_ + "' returned a " + std::to_string(out.cols) + "x" +
                std::to_string(out.rows) + " image for a " + std::to_string(padded.cols) + "x" +
                std::to_string(padded.rows) + " input");
  return out(cv::Rect(0, 0, bgr.cols, bgr.rows)).clone();
}

}  // namespace neuropipe::translate
