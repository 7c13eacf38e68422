#pragma once
// What the overlay draws of all the detections on a frame. A node that
// refines detections (face_align, face_embed, face_identify) writes a copy of
// them under its own name with the boxes unchanged, so one face can be on a
// frame three or four times; it is drawn once, as its latest version (the
// one with the identity and track id when face_identify ran).
#include <vector>

#include "neuropipe/metadata.hpp"

namespace neuropipe::overlay {

// `lists` in the order the nodes attached them. The result keeps the first
// list's order; a later detection with the same label and box replaces the
// earlier one in place.
std::vector<const Detection*> detections_to_draw(const std::vector<const Detections*>& lists);

}  // namespace neuropipe::overlay
