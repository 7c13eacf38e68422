#include "face_crop.hpp"

#include <algorithm>

#include "neuropipe/error.hpp"

namespace neuropipe::face {

cv::Mat padded_square_crop(const cv::Mat& bgr, const cv::Rect2f& box, float margin) {
  const float mx = box.width * margin, my = box.height * margin;
  const cv::Rect grown(cv::Point(int(box.x - mx), int(box.y - my)),
                       cv::Point(int(box.br().x + mx + 0.5f), int(box.br().y + my + 0.5f)));
  const cv::Rect inside = grown & cv::Rect(cv::Point(0, 0), bgr.size());
  if (inside.area() <= 0) throw Error("face box lies outside the frame");
  const int side = std::max(inside.width, inside.height);
  cv::Mat square = cv::Mat::zeros(side, side, bgr.type());
  const cv::Rect centred((side - inside.width) / 2, (side - inside.height) / 2, inside.width, inside.height);
  bgr(inside).copyTo(square(centred));
  return square;
}

}  // namespace neuropipe::face
