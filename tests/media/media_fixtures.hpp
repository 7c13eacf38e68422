#pragma once
// Shared pieces of the media tests: reading sources, catching our errors,
// a child process (the ffmpeg CLI as a stream sender) and a file-size limit
// that makes writes fail the way a full disk does.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "neuropipe/media/sink.hpp"
#include "neuropipe/media/source.hpp"

namespace neuropipe::test {

// Spec for `uri` with kind "auto" and the given options.
media::SourceSpec source_spec(const std::string& uri, std::map<std::string, std::string> options = {});

// What a source delivered, without keeping the pixels.
struct ReadSummary {
  int64_t frames = 0;
  int width = 0, height = 0;
  bool pts_increasing = true;
  bool indices_sequential = true;
};
// Reads up to `limit` frames (all when negative).
ReadSummary read_frames(media::Source& source, int64_t limit = -1);

// The message of the neuropipe::Error that `action` throws; fails the test
// when it throws nothing or something else.
std::string error_message(const std::function<void()>& action);

// Files (not folders) under `root`, as generic relative paths, sorted.
std::vector<std::string> files_under(const std::filesystem::path& root);

// Copies the first `fraction` of a file's bytes.
void copy_prefix(const std::filesystem::path& from, const std::filesystem::path& to, double fraction);

// Writes `size` pseudo-random bytes.
void write_garbage(const std::filesystem::path& path, std::size_t size);

// A free UDP or TCP port on 127.0.0.1 (asked from the kernel).
int free_udp_port();
int free_tcp_port();

// stdout of a shell command (fails the test on a non-zero exit).
std::string run_command(const std::string& command);

// A child process, terminated (SIGTERM, then SIGKILL) when stopped or destroyed.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  void stop();
  // True when the process exited by itself within `timeout`.
  bool wait_for_exit(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
};

// Lowers RLIMIT_FSIZE for this process while alive: a write past `bytes`
// fails with EFBIG (SIGXFSZ ignored), like a disk that has filled up.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(long bytes);
  ~FileSizeLimit();
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  unsigned long long previous_ = 0;
  void (*previous_handler_)(int) = nullptr;
};

}  // namespace neuropipe::test
