#include "draw_list.hpp"

namespace neuropipe::overlay {

namespace {

// A refinement copies the box, so equality is exact, not an overlap guess:
// two different objects with nearly the same box are both drawn.
bool same_object(const Detection& a, const Detection& b) { return a.label == b.label && a.box == b.box; }

}  // namespace

std::vector<const Detection*> detections_to_draw(const std::vector<const Detections*>& lists) {
  std::vector<const Detection*> drawn;
  for (const Detections* list : lists) {
    // Each earlier item is refined by at most one item of this list.
    std::vector<bool> refined(drawn.size(), false);
    const size_t earlier = drawn.size();
    for (const Detection& d : list->items) {
      size_t i = 0;
      while (i < earlier && (refined[i] || !same_object(*drawn[i], d))) ++i;
      if (i < earlier) {
        drawn[i] = &d;
        refined[i] = true;
      } else {
        drawn.push_back(&d);
      }
    }
  }
  return drawn;
}

}  // namespace neuropipe::overlay
