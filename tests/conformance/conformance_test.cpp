// Runs every ONNX node test and prints one line per failure plus the totals:
//   conformance: P passed, F failed, U unsupported
// Environment: NEUROPIPE_CONFORMANCE_FILTER=substring runs a subset (the pass
// floor is then not checked); NEUROPIPE_CONFORMANCE_VERBOSE=1 also lists
// unsupported tests with their reason.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstring>
#include <iostream>
#include <unistd.h>

#include "onnx_test_case.hpp"

namespace fs = std::filesystem;
using namespace neuropipe::test;

namespace {

struct Tally {
  int passed = 0, failed = 0, unsupported = 0;
};

// A crash must name the test that caused it instead of killing the run silently.
char g_current[512];
void on_crash(int sig) {
  const char prefix[] = "\nconformance: CRASH (signal) while running ";
  [[maybe_unused]] auto a = write(2, prefix, sizeof prefix - 1);
  [[maybe_unused]] auto b = write(2, g_current, strnlen(g_current, sizeof g_current));
  [[maybe_unused]] auto c = write(2, "\n", 1);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

Tally run_suite(const fs::path& root, const std::string& filter, bool verbose) {
  Tally tally;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory() && fs::exists(e.path() / "model.onnx")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    std::string name = dir.filename().string();
    if (!filter.empty() && name.find(filter) == std::string::npos) continue;
    std::snprintf(g_current, sizeof g_current, "%s", dir.string().c_str());
    CaseResult r = run_onnx_test_case(dir);
    switch (r.outcome) {
      case Outcome::passed: tally.passed++; break;
      case Outcome::failed:
        tally.failed++;
        std::cout << "FAILED " << name << ": " << r.reason << "\n";
        break;
      case Outcome::unsupported:
        tally.unsupported++;
        if (verbose) std::cout << "unsupported " << name << ": " << r.reason << "\n";
        break;
    }
  }
  return tally;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

TEST_CASE("ONNX backend node tests pass or are reported unsupported", "[conformance]") {
  fs::path data = NEUROPIPE_ONNX_TESTDATA;
  REQUIRE(fs::exists(data / "node"));
  std::signal(SIGSEGV, on_crash);
  std::signal(SIGFPE, on_crash);
  std::signal(SIGBUS, on_crash);
  std::signal(SIGABRT, on_crash);
  std::string filter = env("NEUROPIPE_CONFORMANCE_FILTER");
  bool verbose = !env("NEUROPIPE_CONFORMANCE_VERBOSE").empty();

  Tally torch;
  for (const char* set : {"pytorch-converted", "pytorch-operator"}) {
    Tally t = run_suite(data / set, filter, verbose);
    torch.passed += t.passed, torch.failed += t.failed, torch.unsupported += t.unsupported;
  }
  std::cout << "conformance (pytorch sets): " << torch.passed << " passed, " << torch.failed << " failed, "
            << torch.unsupported << " unsupported\n";
  Tally node = run_suite(data / "node", filter, verbose);
  std::cout << "conformance: " << node.passed << " passed, " << node.failed << " failed, " << node.unsupported
            << " unsupported" << std::endl;

  CHECK(node.failed == 0);
  CHECK(torch.failed == 0);
  if (filter.empty()) CHECK(node.passed >= NEUROPIPE_CONFORMANCE_MIN_PASSED);
}
