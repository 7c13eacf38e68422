// JSON-lines sink: one object per frame with its origin and every metadata
// item (under the name of the node that wrote it). Writes are buffered (one
// write call per 64 KiB, not per frame): the file only gets its final name on
// close(), so a crash leaves a hidden temporary either way and flushing each
// line bought nothing but a system call per frame.
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "media/atomic_file.hpp"
#include "media/sinks/sink_kinds.hpp"

namespace neuropipe::media {

namespace {

constexpr size_t kWriteBufferBytes = 64 * 1024;

// Field order is part of the format (source, index, pts, time, path, then
// metadata), hence ordered_json.
nlohmann::ordered_json frame_record(const Frame& frame) {
  const FrameOrigin& origin = frame.origin();
  nlohmann::ordered_json record;
  record["source"] = origin.source;
  record["index"] = origin.index;
  record["pts"] = origin.pts;
  record["time"] = origin.time_base > 0 ? nlohmann::ordered_json(origin.pts * origin.time_base) : nullptr;
  if (!origin.path.empty()) record["path"] = origin.path;
  for (const auto& [key, item] : frame.all_metadata())
    if (item) record[key] = nlohmann::ordered_json(item->to_json());
  return record;
}

class JsonLinesSink final : public Sink {
 public:
  explicit JsonLinesSink(const SinkSpec& spec) : file_(spec.uri) {
    for (const auto& [key, value] : spec.options)
      spdlog::warn("sink '{}': unknown option '{}' for a JSON-lines sink; ignored", spec.name, key);
    out_ = std::fopen(file_.temp_path().c_str(), "w");
    if (!out_) throw Error("cannot create '" + spec.uri + "': " + std::strerror(errno));
    std::setvbuf(out_, buffer_.data(), _IOFBF, buffer_.size());
  }
  ~JsonLinesSink() override { abort(); }

  void write(const Frame& frame) override {
    if (!out_) throw Error(file_.final_path().string() + ": write after close");
    const std::string line = frame_record(frame).dump() + "\n";
    // A full disk shows here once the buffer spills, at the latest in close().
    if (std::fwrite(line.data(), 1, line.size(), out_) != line.size()) fail("write");
  }

  void close() override {
    if (!out_) return;
    const int rc = std::fclose(std::exchange(out_, nullptr));
    if (rc != 0) fail("close");
    file_.commit();
  }

  void abort() override {
    if (out_) std::fclose(std::exchange(out_, nullptr));
    file_.discard();
  }

 private:
  [[noreturn]] void fail(const char* what) {
    const std::string reason = std::strerror(errno);
    abort();
    throw Error("cannot " + std::string(what) + " '" + file_.final_path().string() + "': " + reason);
  }

  AtomicFile file_;
  std::vector<char> buffer_ = std::vector<char>(kWriteBufferBytes);  // outlives out_ (declared first)
  std::FILE* out_ = nullptr;
};

}  // namespace

std::unique_ptr<Sink> open_jsonl_sink(const SinkSpec& spec, const SourceInfo&) {
  return std::make_unique<JsonLinesSink>(spec);
}

}  // namespace neuropipe::media
