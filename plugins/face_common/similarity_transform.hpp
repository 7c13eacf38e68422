#pragma once
// The similarity (rotation, uniform scale, shift; no reflection) that best
// maps one point set onto another in the least-squares sense: Umeyama (1991),
// "Least-squares estimation of transformation parameters between two point
// patterns", with the determinant correction that rules out a mirror image.
#include <opencv2/core.hpp>
#include <vector>

namespace neuropipe::face {

// 2x3 matrix M with M * [x, y, 1] ~ to; throws when the sets differ in size,
// have fewer than two points, or `from` has no spread (all points equal).
cv::Matx23f estimate_similarity(const std::vector<cv::Point2f>& from, const std::vector<cv::Point2f>& to);

}  // namespace neuropipe::face
