#include "similarity_transform.hpp"

#include <neuropipe/error.hpp>
#include <string>

namespace neuropipe::face {

namespace {

cv::Point2d mean_of(const std::vector<cv::Point2f>& points) {
  cv::Point2d sum(0, 0);
  for (const auto& p : points) sum += cv::Point2d(p);
  return sum / double(points.size());
}

}  // namespace

cv::Matx23f estimate_similarity(const std::vector<cv::Point2f>& from, const std::vector<cv::Point2f>& to) {
  if (from.size() != to.size() || from.size() < 2)
    throw Error("similarity transform needs two equal point sets of at least 2 points (got " +
                std::to_string(from.size()) + " and " + std::to_string(to.size()) + ")");
  const cv::Point2d from_mean = mean_of(from), to_mean = mean_of(to);
  // Covariance of the centred sets (to x from^T) and the spread of `from`.
  cv::Matx22d covariance = cv::Matx22d::zeros();
  double from_variance = 0;
  for (size_t i = 0; i < from.size(); ++i) {
    const cv::Point2d f = cv::Point2d(from[i]) - from_mean, t = cv::Point2d(to[i]) - to_mean;
    covariance += cv::Matx22d(t.x * f.x, t.x * f.y, t.y * f.x, t.y * f.y);
    from_variance += f.dot(f);
  }
  const double n = double(from.size());
  covariance *= 1.0 / n;
  from_variance /= n;
  if (from_variance < 1e-12) throw Error("similarity transform: the source points all coincide");

  cv::Matx22d u, vt;
  cv::Matx21d singular;
  cv::SVD::compute(covariance, singular, u, vt);
  // A reflection would fit mirrored points better; flip the weaker axis instead.
  cv::Matx22d sign = cv::Matx22d::eye();
  if (cv::determinant(u) * cv::determinant(vt) < 0) sign(1, 1) = -1;
  const cv::Matx22d rotation = u * sign * vt;
  const double scale = (singular(0) * sign(0, 0) + singular(1) * sign(1, 1)) / from_variance;
  const cv::Matx22d a = rotation * scale;
  const cv::Vec2d shift = cv::Vec2d(to_mean.x, to_mean.y) - a * cv::Vec2d(from_mean.x, from_mean.y);
  return cv::Matx23f(float(a(0, 0)), float(a(0, 1)), float(shift[0]), float(a(1, 0)), float(a(1, 1)),
                     float(shift[1]));
}

}  // namespace neuropipe::face
