#include "media/decoded_picture.hpp"

#include "media/pixel_converter.hpp"

namespace neuropipe::media {

cv::Mat DecodedPicture::to_bgr() const {
  // Conversions run on whichever thread first asks for a frame's image (a
  // node's worker, the sink's); one cached converter per thread keeps them
  // parallel without sharing an SwsContext.
  thread_local PixelConverter converter;
  return converter.to_bgr(*picture_);
}

}  // namespace neuropipe::media
