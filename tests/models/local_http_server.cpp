#include "local_http_server.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>

namespace neuropipe::test {

LocalHttpServer::LocalHttpServer(const std::filesystem::path& root) {
  int out[2];
  REQUIRE(pipe(out) == 0);
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    // Port 0: the OS picks a free port, which the server prints on its first line.
    execl("/usr/bin/timeout", "timeout", "120", "/usr/bin/python3", "-u", "-m", "http.server", "0", "--bind",
          "127.0.0.1", "--directory", root.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::FILE* stream = fdopen(out[0], "r");
  char line[256] = "";
  const bool got_line = std::fgets(line, sizeof line, stream) != nullptr;
  std::fclose(stream);  // the server's later output goes nowhere (SIGPIPE-safe: it logs to stderr)
  std::smatch m;
  const std::string first(line);
  if (!got_line || !std::regex_search(first, m, std::regex("port (\\d+)")))
    FAIL("python3 -m http.server did not start (first line: '" << first << "')");
  port_ = std::stoi(m[1]);
}

LocalHttpServer::~LocalHttpServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

std::string LocalHttpServer::url(const std::string& relative) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + relative;
}

}  // namespace neuropipe::test
