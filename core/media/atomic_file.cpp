#include "media/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>

#include "neuropipe/error.hpp"

namespace neuropipe::media {

namespace fs = std::filesystem;

namespace {

// ".name.<random>.part": hidden, unique per writer, same folder as the target.
fs::path temporary_sibling(const fs::path& final_path) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random()));
  return final_path.parent_path() / ("." + final_path.filename().string() + "." + suffix + ".part");
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

AtomicFile::AtomicFile(fs::path final_path) : final_path_(std::move(final_path)) {
  if (final_path_.filename().empty()) throw Error("output path '" + final_path_.string() + "' names no file");
  std::error_code ec;
  // Publishing renames a finished file over the target: over /dev/full,
  // /dev/stdout or a pipe that would replace the device node or link itself.
  const auto status = fs::status(final_path_, ec);
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw Error("output path '" + final_path_.string() +
                "' exists and is not a regular file (a device, pipe or folder); outputs are written to a "
                "temporary file and renamed over their target, so name a file");
  if (final_path_.has_parent_path()) fs::create_directories(final_path_.parent_path(), ec);
  if (ec) throw Error("cannot create folder for '" + final_path_.string() + "': " + ec.message());
  temp_path_ = temporary_sibling(final_path_);
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::commit() {
  if (!open_) return;
  std::error_code ec;
  fs::rename(temp_path_, final_path_, ec);
  if (ec) {
    discard();
    throw Error("cannot move '" + temp_path_.string() + "' to '" + final_path_.string() +
                "': " + ec.message());
  }
  open_ = false;
}

void AtomicFile::discard() noexcept {
  if (!open_) return;
  std::error_code ignored;  // nothing more to do if even the clean-up fails
  fs::remove(temp_path_, ignored);
  open_ = false;
}

void write_file_atomically(const fs::path& path, const void* data, std::size_t size) {
  AtomicFile file(path);
  {
    std::unique_ptr<std::FILE, FileCloser> out(std::fopen(file.temp_path().c_str(), "wb"));
    if (!out) throw Error("cannot create '" + path.string() + "': " + std::strerror(errno));
    const bool written = std::fwrite(data, 1, size, out.get()) == size && std::fflush(out.get()) == 0;
    const int write_errno = errno;
    if (!written || std::fclose(out.release()) != 0)
      throw Error("cannot write '" + path.string() + "': " + std::strerror(written ? errno : write_errno));
  }
  file.commit();
}

}  // namespace neuropipe::media
