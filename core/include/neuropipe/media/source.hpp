#pragma once
// Where frames come from: video files, cameras, network streams, image
// folders, single images and image lists, behind one interface.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "neuropipe/error.hpp"
#include "neuropipe/frame.hpp"

namespace neuropipe::media {

struct SourceSpec {
  std::string name = "input";      // source name in the pipeline file
  int stream_id = 0;
  // auto | video | camera | stream | images | image | list | lavfi
  // (auto: decided from the uri: a folder, an image file, a .txt list, a
  //  scheme like udp:// rtsp:// http://, /dev/videoN, else a video file)
  std::string kind = "auto";
  std::string uri;
  std::map<std::string, std::string> options;  // e.g. {"timeout_ms": "5000"}, passed to FFmpeg where they fit
};

struct SourceInfo {
  int width = 0, height = 0;       // of the first frame (0 when unknown yet)
  double fps = 0.0;                // nominal; 0 when unknown (image folders)
  double time_base = 0.0;          // seconds per pts unit
  int64_t frame_count = -1;        // -1 when unknown (streams)
  bool live = false;               // camera or network stream
  std::string codec;               // decoder name, or "image"
  std::string description;         // for logs: "video file a.mp4 (h264 640x360 25 fps)"
};

// A stream or camera went away (the live clock reconnects on this).
class StreamLost : public Error {
 public:
  using Error::Error;
};

class Source {
 public:
  virtual ~Source() = default;
  virtual const SourceInfo& info() const = 0;
  // The next frame, or nullptr at the end. A corrupt packet is skipped and
  // counted; a corrupt/truncated file ends the source with a warning naming
  // the file and the last good frame. Unreadable images in a folder are
  // skipped and reported (errors()). Throws StreamLost for live sources.
  virtual FramePtr read() = 0;
  // Reopen after StreamLost (live sources); throws StreamLost if still gone.
  virtual void reopen() = 0;
  // Problems met so far that did not stop the source ("frame 812: corrupt packet").
  virtual const std::vector<std::string>& errors() const = 0;
};

// Throws neuropipe::Error naming the uri when it cannot be opened.
std::unique_ptr<Source> open_source(const SourceSpec& spec);

}  // namespace neuropipe::media
