// `neuropipe models` over the real mirror, as a user runs it.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

#include "test_support.hpp"

using Catch::Matchers::Contains;
namespace test = neuropipe::test;

namespace {

struct Run {
  int exit_code;
  std::string output;
};

// Runs the CLI with a fresh cache and the shared mirror, capturing stdout+stderr.
Run neuropipe_models(const std::string& args, const test::TempDir& cache) {
  const std::string cli = (test::binary_dir() / "apps" / "neuropipe").string();
  const std::string command = "NEUROPIPE_CACHE_DIR='" + cache.path().string() + "' NEUROPIPE_MODEL_MIRROR='" +
                              test::shared_file("models").string() + "' '" + cli + "' models " + args +
                              " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  Run run{0, ""};
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace

TEST_CASE("neuropipe models verify passes over the real mirror", "[models][cli]") {
  test::TempDir cache;
  const Run run = neuropipe_models("verify", cache);
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.output, Contains("22 verified, 0 failed, 0 not present, 22 offline: export"));
}

TEST_CASE("neuropipe models fetch, info and errors", "[models][cli]") {
  test::TempDir cache;
  Run run = neuropipe_models("fetch mnist-cnn", cache);
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK(std::filesystem::exists(cache / "classify/mnist-cnn.onnx"));

  run = neuropipe_models("info yunet-n-320", cache);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.output, Contains("BGR") && Contains("320x320") && Contains("Apache-2.0"));

  run = neuropipe_models("verify no-such-model", cache);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.output, Contains("unknown model 'no-such-model'"));

  // An export-only model without a usable Python fails before any download
  // (so the test does not depend on being offline), naming recipe and fix.
  setenv("NEUROPIPE_PYTHON", "/nonexistent/python3.11", 1);
  run = neuropipe_models("fetch tv-resnet50", cache);
  unsetenv("NEUROPIPE_PYTHON");
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.output, Contains("tools/export/torchvision_classifier.py") &&
                             Contains("resnet50-0676ba61.pth") && Contains("NEUROPIPE_PYTHON"));
  CHECK_THAT(run.output, !Contains("tv-resnet50 -> "));  // a failed fetch shows no path

  // Several upstream downloads: each with its recipe option, zip member and (missing) sha256.
  run = neuropipe_models("info show-and-tell", cache);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.output, Contains("--encoder-weights https://www.dropbox.com/s/ne0ixz5d58ccbbz/pretrained_model.zip"
                                  "?dl=1 (zip member encoder-5-3000.pkl), sha256 not published") &&
                             Contains("(zip member vocab.pkl)") &&
                             Contains("export_output decoder: caption/show-and-tell-decoder.onnx"));
}
