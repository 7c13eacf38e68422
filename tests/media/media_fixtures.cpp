#include "media_fixtures.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

extern char** environ;

namespace neuropipe::test {

namespace fs = std::filesystem;

media::SourceSpec source_spec(const std::string& uri, std::map<std::string, std::string> options) {
  media::SourceSpec spec;
  spec.name = "in";
  spec.uri = uri;
  spec.options = std::move(options);
  return spec;
}

ReadSummary read_frames(media::Source& source, int64_t limit) {
  ReadSummary summary;
  int64_t last_pts = 0;
  while (limit < 0 || summary.frames < limit) {
    FramePtr frame = source.read();
    if (!frame) break;
    const cv::Mat image = frame->image();
    if (summary.frames == 0) {
      summary.width = image.cols;
      summary.height = image.rows;
    } else if (frame->origin().pts <= last_pts) {
      summary.pts_increasing = false;
    }
    if (frame->origin().index != summary.frames) summary.indices_sequential = false;
    last_pts = frame->origin().pts;
    ++summary.frames;
  }
  return summary;
}

std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("expected a neuropipe::Error, but nothing was thrown");
  return {};
}

std::vector<std::string> files_under(const fs::path& root) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files.push_back(entry.path().lexically_relative(root).generic_string());
  std::sort(files.begin(), files.end());
  return files;
}

void copy_prefix(const fs::path& from, const fs::path& to, double fraction) {
  std::ifstream in(from, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(!bytes.empty());
  std::ofstream out(to, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() * fraction));
  REQUIRE(out.good());
}

void write_garbage(const fs::path& path, std::size_t size) {
  std::mt19937 random(42);
  std::vector<char> bytes(size);
  for (auto& b : bytes) b = static_cast<char>(random());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

namespace {
int free_port(int socket_type) {
  const int fd = ::socket(AF_INET, socket_type, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  REQUIRE(bound);
  return ntohs(address.sin_port);
}
}  // namespace

int free_udp_port() { return free_port(SOCK_DGRAM); }
int free_tcp_port() { return free_port(SOCK_STREAM); }

std::string run_command(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = ::pclose(pipe);
  INFO("command: " << command << "\noutput: " << output);
  REQUIRE(status == 0);
  return output;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = ::posix_spawnp(&pid_, args[0], nullptr, nullptr, args.data(), environ);
  INFO("spawning " << argv[0]);
  REQUIRE(rc == 0);
}

ChildProcess::~ChildProcess() { stop(); }

bool ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_)
      pid_ = -1;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pid_ <= 0;
}

void ChildProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (wait_for_exit(std::chrono::seconds(3))) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

FileSizeLimit::FileSizeLimit(long bytes) {
  rlimit limit{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &limit) == 0);
  previous_ = limit.rlim_cur;
  previous_handler_ = ::signal(SIGXFSZ, SIG_IGN);
  limit.rlim_cur = static_cast<rlim_t>(bytes);
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
}

FileSizeLimit::~FileSizeLimit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_FSIZE, &limit);
  limit.rlim_cur = static_cast<rlim_t>(previous_);
  ::setrlimit(RLIMIT_FSIZE, &limit);
  ::signal(SIGXFSZ, previous_handler_);
}

}  // namespace neuropipe::test
