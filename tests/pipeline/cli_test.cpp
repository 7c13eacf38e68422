// The CLI end to end: run (summary, bad input), Ctrl-C leaving a playable
// output, graph (DOT, missing Graphviz), batch (per-item errors, resume).
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "pipeline_fixtures.hpp"
#include "test_support.hpp"

extern char** environ;

using namespace neuropipe;
namespace fs = std::filesystem;

namespace {

struct CliResult {
  int exit_code;
  std::string output;  // stdout + stderr
};

CliResult run_cli(const std::string& args) {
  const std::string command = std::string(NP_CLI_PATH) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string output;
  std::array<char, 4096> buffer;
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::string pipeline_file(const std::string& name) {
  return (test::source_dir() / "pipelines" / name).string();
}

int64_t count_frames(const fs::path& video) {
  media::SourceSpec spec;
  spec.uri = video.string();
  auto source = media::open_source(spec);
  int64_t n = 0;
  while (source->read()) ++n;
  return n;
}

}  // namespace

TEST_CASE("run prints a summary; bad input gives a located error and a non-zero exit", "[pipeline][cli]") {
  test::TempDir dir("np-cli-run");
  const auto input = test::shared_file("media/video/opencv_tree.avi");
  const auto ok = run_cli("run " + pipeline_file("passthrough.yaml") + " --quiet --input " + input.string() +
                          " --output " + (dir / "tree.mp4").string() + " --set preset=ultrafast");
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.output, Catch::Contains("completed:") && Catch::Contains("fps"));
  CHECK(fs::exists(dir / "tree.mp4.jsonl"));

  const auto missing =
      run_cli("run " + pipeline_file("passthrough.yaml") + " --input /no/such.mp4 --output x.mp4");
  CHECK(missing.exit_code != 0);
  CHECK_THAT(missing.output, Catch::Contains("passthrough.yaml:9:10") && Catch::Contains("/no/such.mp4"));

  const auto no_input = run_cli("run " + pipeline_file("passthrough.yaml") + " --output x.mp4");
  CHECK(no_input.exit_code != 0);
  CHECK_THAT(no_input.output, Catch::Contains("unknown variable 'input'") && Catch::Contains("--input"));

  const auto bad_mode = run_cli("run " + pipeline_file("passthrough.yaml") + " --mode fast");
  CHECK(bad_mode.exit_code != 0);
  CHECK_THAT(bad_mode.output, Catch::Contains("--mode must be 'offline' or 'live'"));
}

TEST_CASE("Ctrl-C stops a run and leaves a playable output", "[pipeline][cli]") {
  test::TempDir dir("np-cli-sigint");
  const auto input = test::shared_file("media/video/opencv_vtest.avi");
  const auto output = dir / "cut.mp4";
  std::vector<std::string> args = {NP_CLI_PATH, "run",          pipeline_file("passthrough.yaml"),
                                   "--quiet",   "--input",      input.string(),
                                   "--output",  output.string()};  // preset medium: slow enough
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  REQUIRE(fs::exists(output));
  const int64_t frames = count_frames(output);
  CHECK(frames > 0);
  CHECK(frames < 795);
}

TEST_CASE("graph prints the graph and writes DOT", "[pipeline][cli]") {
  test::TempDir dir("np-cli-graph");
  const auto result = run_cli("graph " + pipeline_file("video.yaml") + " --dot " + (dir / "g.dot").string());
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("overlay [overlay] <- input"));
  std::ifstream dot(dir / "g.dot");
  std::string text((std::istreambuf_iterator<char>(dot)), std::istreambuf_iterator<char>());
  CHECK_THAT(text,
             Catch::Contains("digraph pipeline") && Catch::Contains("\"src:input\" -> \"node:overlay\""));

  const auto svg = run_cli("graph " + pipeline_file("video.yaml") + " --svg " + (dir / "g.svg").string());
  if (std::system("command -v dot > /dev/null") == 0) {
    CHECK(svg.exit_code == 0);
    CHECK(fs::exists(dir / "g.svg"));
  } else {
    CHECK(svg.exit_code != 0);
    CHECK_THAT(svg.output, Catch::Contains("Graphviz"));
  }
}

TEST_CASE("batch mirrors a folder, reports bad items and resumes", "[pipeline][cli]") {
  test::TempDir in("np-batch-in"), out("np-batch-out");
  fs::create_directories(in / "sub");
  fs::copy_file(test::shared_file("media/image/cat.jpg"), in / "cat.jpg");
  fs::copy_file(test::shared_file("media/image/fish.png"), in / "sub/fish.png");
  std::ofstream(in / "sub/broken.jpg") << "this is not a JPEG";
  const std::string args =
      "batch " + pipeline_file("folder.yaml") + " " + in.path().string() + " " + out.path().string();

  const auto first = run_cli(args);
  INFO(first.output);
  CHECK(first.exit_code == 0);
  CHECK_THAT(first.output, Catch::Contains("2 processed, 0 already done, 1 failed"));
  CHECK_THAT(first.output, Catch::Contains("broken.jpg"));
  CHECK(fs::exists(out / "cat.jpg"));
  CHECK(fs::exists(out / "sub/fish.png"));
  CHECK(fs::exists(out / "sub/fish.png.jsonl"));

  const auto second = run_cli(args);
  INFO(second.output);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.output, Catch::Contains("0 processed, 2 already done, 1 failed"));

  const auto bad_config =
      run_cli("batch --pipeline /no/such.yaml " + in.path().string() + " " + out.path().string());
  CHECK(bad_config.exit_code != 0);
  CHECK_THAT(bad_config.output, Catch::Contains("/no/such.yaml"));
}
