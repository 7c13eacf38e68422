#pragma once
// A decoded video picture travelling with its Frame in the decoder's own
// pixel format. BGR is made from it only when a node or sink asks for the
// image; a video sink encodes it as it is when it already has the encoder's
// format and size (see VideoWriter), so a pipeline that never touches pixels
// costs no colour conversion, like a bare `ffmpeg -i in out`.
#include "media/ffmpeg/av_handles.hpp"
#include "neuropipe/frame.hpp"

namespace neuropipe::media {

class DecodedPicture final : public SourcePicture {
 public:
  // Takes over the reference `picture` holds (no pixel copy).
  explicit DecodedPicture(ffmpeg::FramePtr picture) : picture_(std::move(picture)) {}

  // Honours the picture's colour matrix and range (PixelConverter).
  cv::Mat to_bgr() const override;
  const AVFrame& picture() const { return *picture_; }

 private:
  ffmpeg::FramePtr picture_;
};

}  // namespace neuropipe::media
