#pragma once
// The base class of every plugin node. A node is constructed from its checked
// Params (and, optionally, its Context: `Node(const Params&, Context&)`),
// then sees frames. Throw neuropipe::Error (or any std::exception) to fail a
// frame; the host adds the node and plugin name to the message.
#include <span>

#include "neuropipe/frame.hpp"
#include "neuropipe/plugin/context.hpp"
#include "neuropipe/plugin/params.hpp"

namespace neuropipe::plugin {

class Node {
 public:
  virtual ~Node() = default;

  // One frame. Read metadata with frame.latest<T>() / frame.get_as<T>(key);
  // attach results with frame.put(ctx.node_name(), item); replace pixels with
  // frame.set_image() (never write into frame.image(): branches share it).
  virtual void process(Frame& frame, Context& ctx) = 0;

  // Several frames at once (set `batched` in the description to receive
  // them); by default one process() call per frame.
  virtual void process_batch(std::span<Frame* const> frames, Context& ctx) {
    for (Frame* frame : frames) process(*frame, ctx);
  }

  // End of all streams: flush whatever the node still holds.
  virtual void finish(Context&) {}
};

}  // namespace neuropipe::plugin
