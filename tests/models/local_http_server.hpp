#pragma once
// A static HTTP server on 127.0.0.1 (python3 -m http.server) serving one
// folder, so download tests need no internet. It is killed when the object
// dies and, as a safety net, after 120 s whatever happens to the test.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace neuropipe::test {

class LocalHttpServer {
 public:
  explicit LocalHttpServer(const std::filesystem::path& root);
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;
  std::string url(const std::string& relative) const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace neuropipe::test
