#pragma once
// Writing the per-pixel class ids of a frame as a PNG file, atomically: the
// file appears complete (by rename) or not at all.
#include <filesystem>
#include <neuropipe/frame.hpp>
#include <opencv2/core.hpp>

namespace neuropipe::segment {

// The mask's name for a frame: the image's relative path with .png (image
// folders), else <source>_<frame index>.png (videos, streams).
std::filesystem::path mask_file_name(const FrameOrigin& origin);

// Encodes `labels` (CV_8UC1, pixel value = class id) as PNG into
// folder/name, creating sub-folders. Throws naming the path on failure.
void write_mask_png(const cv::Mat& labels, const std::filesystem::path& folder,
                    const std::filesystem::path& name);

}  // namespace neuropipe::segment
