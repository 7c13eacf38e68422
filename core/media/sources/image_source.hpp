#pragma once
// Sources of still images decoded by OpenCV: a folder tree, one image file,
// or a .txt list of image paths. All three become one ordered list of files.
#include <memory>

#include "neuropipe/media/source.hpp"

namespace neuropipe::media {

enum class ImageInputKind { folder, single, list };

// True for the extensions an image source reads (jpg jpeg png bmp tif tiff
// webp, any case).
bool is_image_path(const std::string& path);

std::unique_ptr<Source> open_image_source(const SourceSpec& spec, ImageInputKind kind);

}  // namespace neuropipe::media
