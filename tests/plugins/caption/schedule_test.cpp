// Which video frames get a fresh caption (every Nth, scene cuts, the first)
// and which caption the frames in between carry.
#include <catch2/catch.hpp>

#include "caption_schedule.hpp"

using namespace neuropipe;

namespace {
cv::Mat grey(int level) { return cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(level)); }
}  // namespace

TEST_CASE("every Nth frame is captioned, and the first one", "[caption][unit]") {
  caption::CaptionSchedule every5(5, 0.0);
  std::vector<int64_t> captioned;
  for (int64_t i = 0; i < 12; ++i)
    if (every5.wants_caption(0, i, grey(100))) captioned.push_back(i);
  CHECK(captioned == std::vector<int64_t>{0, 5, 10});

  caption::CaptionSchedule first_only(0, 0.0);
  CHECK(first_only.wants_caption(0, 0, grey(100)));
  CHECK_FALSE(first_only.wants_caption(0, 1, grey(100)));
  CHECK(first_only.wants_caption(0, 0, grey(100)));  // frame 0 again: a new file of a batch run
}

TEST_CASE("a scene cut is captioned at once, small changes are not", "[caption][unit]") {
  caption::CaptionSchedule cuts(0, 30.0);
  CHECK(cuts.wants_caption(0, 0, grey(100)));
  CHECK_FALSE(cuts.wants_caption(0, 1, grey(110)));  // 10 grey levels: lighting, not a cut
  CHECK(cuts.wants_caption(0, 2, grey(200)));        // 90 grey levels
  CHECK_FALSE(cuts.wants_caption(0, 3, grey(200)));
  CHECK(cuts.wants_caption(1, 3, grey(0)));  // another stream starts with its own first frame
  CHECK(caption::CaptionSchedule::difference(caption::CaptionSchedule::thumbnail(grey(10)),
                                             caption::CaptionSchedule::thumbnail(grey(50))) == Approx(40.0));
}

TEST_CASE("frames between captions hold the newest finished caption of an earlier frame", "[caption][unit]") {
  caption::CaptionSchedule schedule(10, 0.0);
  CHECK(schedule.latest_before(0, 3) == nullptr);
  auto first = std::make_shared<Caption>();
  first->text = "a man walking";
  schedule.finished(0, 0, first);
  CHECK(schedule.latest_before(0, 3) == first);
  CHECK(schedule.latest_before(0, 0) == nullptr);  // a frame never holds its own or a later caption
  auto second = std::make_shared<Caption>();
  schedule.finished(0, 10, second);
  schedule.finished(0, 5, first);  // finished late: the newer caption stays
  CHECK(schedule.latest_before(0, 11) == second);
  CHECK(schedule.latest_before(1, 11) == nullptr);  // per stream
}
