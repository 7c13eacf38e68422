#pragma once
// Where frames go: video files, image folders, JSON-lines metadata, a
// preview window, a network stream. File sinks write to a temporary name and
// rename on close(), so an interrupted or failed run never leaves a file
// that looks complete.
#include <map>
#include <memory>
#include <string>

#include "neuropipe/frame.hpp"
#include "neuropipe/media/source.hpp"

namespace neuropipe::media {

struct SinkSpec {
  std::string name = "output";
  // video | images | jsonl | preview | stream
  std::string kind;
  std::string uri;                               // file, folder or URL
  std::map<std::string, std::string> options;    // codec, crf, format (png/jpg), fps, ...
};

class Sink {
 public:
  virtual ~Sink() = default;
  // Frames arrive in order per source. Throws neuropipe::Error naming the
  // file on I/O failure (disk full included).
  virtual void write(const Frame& frame) = 0;
  // Flush and publish (rename temp -> final). Idempotent.
  virtual void close() = 0;
  // Remove anything partial (called on error / cancellation instead of close).
  virtual void abort() = 0;
};

// `input` describes the (first) source feeding the sink: size, fps, time base.
std::unique_ptr<Sink> open_sink(const SinkSpec& spec, const SourceInfo& input);

}  // namespace neuropipe::media
