#pragma once
// A file that appears under its final name only once it is complete. It is
// written under a hidden temporary name in the same folder (so the final
// rename is atomic on one filesystem) and removed when never committed, so a
// failed or interrupted run leaves nothing that looks finished.
#include <cstddef>
#include <filesystem>
#include <string>

namespace neuropipe::media {

class AtomicFile {
 public:
  // Creates missing parent folders; throws Error naming the path if it cannot,
  // or if the path exists and is not a regular file (/dev/full, a fifo).
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  const std::filesystem::path& final_path() const { return final_path_; }
  const std::filesystem::path& temp_path() const { return temp_path_; }

  // Renames temp -> final; throws Error naming both on failure.
  void commit();
  // Removes the temporary file (no-op after commit()).
  void discard() noexcept;

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  bool open_ = true;
};

// Writes `size` bytes to `path` atomically (temp + rename). Throws Error
// naming the path (disk full included) and leaves no partial file.
void write_file_atomically(const std::filesystem::path& path, const void* data, std::size_t size);

}  // namespace neuropipe::media
