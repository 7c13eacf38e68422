// The overlay's draw list: a face that face_detect found and face_align,
// face_embed and face_identify refined (each writes a copy under its own
// name) is drawn once, as the identified version.
#include "draw_list.hpp"

#include <catch2/catch.hpp>

using namespace neuropipe;

namespace {

Detection face(cv::Rect2f box) {
  Detection d;
  d.box = box;
  d.label = "face";
  d.class_id = 0;
  d.score = 0.9f;
  return d;
}

}  // namespace

TEST_CASE("overlay draws each refined face once, as its latest version", "[overlay][unit]") {
  Detections detected;
  detected.items = {face({10, 10, 50, 60}), face({200, 40, 30, 30})};
  Detections embedded = detected;
  for (auto& d : embedded.items) d.embedding = {0.1f, 0.2f};
  Detections identified = embedded;
  identified.items[0].identity = "alice";
  identified.items[0].track_id = 1;
  identified.items[1].identity = "unknown-1";
  identified.items[1].track_id = 2;

  const auto drawn = overlay::detections_to_draw({&detected, &embedded, &identified});
  REQUIRE(drawn.size() == 2);  // was 6: one box per node and face
  CHECK(drawn[0] == &identified.items[0]);
  CHECK(drawn[1] == &identified.items[1]);
}

TEST_CASE("overlay draw list keeps different objects, even with equal boxes", "[overlay][unit]") {
  Detections faces, objects;
  faces.items = {face({10, 10, 50, 60})};
  Detection person = face({10, 10, 50, 60});
  person.label = "person";
  objects.items = {person, face({300, 10, 40, 40})};
  // Two faces of one list with the same box stay two (a list never refines itself).
  Detections twins;
  twins.items = {face({5, 5, 20, 20}), face({5, 5, 20, 20})};

  CHECK(overlay::detections_to_draw({&faces, &objects}).size() == 3);
  CHECK(overlay::detections_to_draw({&twins}).size() == 2);
  const auto refined = overlay::detections_to_draw({&twins, &twins});
  REQUIRE(refined.size() == 2);
  CHECK(refined[0] != refined[1]);
}
