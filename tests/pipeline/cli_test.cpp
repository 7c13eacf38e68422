// The CLI end to end: run (summary, bad input, --metrics scraped while it
// runs), Ctrl-C leaving a playable output, graph (DOT, missing Graphviz),
// batch (per-item errors, resume, nodes made once).
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
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

namespace {

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// folder.yaml with the test_count node, which numbers its instances.
fs::path counting_pipeline(const fs::path& dir) {
  const auto file = dir / "count.yaml";
  std::ofstream(file) << "plugin_path: [\"" << NP_TEST_PLUGIN_DIR << "\"]\n"
                      << "variables:\n  metadata: ${output}.jsonl\n"
                      << "sources:\n  - name: folder\n    uri: ${input}\n"
                      << "nodes:\n  - name: counter\n    plugin: test_count\n"
                      << "sinks:\n  - name: images\n    kind: images\n    path: ${output}\n"
                      << "  - name: metadata\n    kind: jsonl\n    path: ${metadata}\n";
  return file;
}

}  // namespace

TEST_CASE("batch creates the nodes once for the whole folder; results equal a run per item",
          "[pipeline][cli]") {
  test::TempDir in("np-batch-in"), out("np-batch-out"), single("np-batch-single");
  fs::create_directories(in / "sub");
  fs::copy_file(test::shared_file("media/image/cat.jpg"), in / "cat.jpg");
  fs::copy_file(test::shared_file("media/image/fish.png"), in / "sub/fish.png");
  fs::copy_file(test::shared_file("media/image/cat.jpg"), in / "sub/cat2.jpg");
  const auto pipeline = counting_pipeline(single.path());

  const auto batch = run_cli("batch " + pipeline.string() + " " + in.path().string() + " " + out.path().string());
  INFO(batch.output);
  REQUIRE(batch.exit_code == 0);
  CHECK_THAT(batch.output, Catch::Contains("3 processed, 0 already done, 0 failed"));

  for (const std::string item : {"cat.jpg", "sub/fish.png", "sub/cat2.jpg"}) {
    INFO(item);
    const auto record = nlohmann::json::parse(read_text(out / (item + ".jsonl")));
    CHECK(record["counter"]["instance"] == 1);  // the node of the first item served them all

    // The same item through `run` gives the same image and the same record.
    const auto run_out = single / "run" / fs::path(item).parent_path();
    const auto run = run_cli("run " + pipeline.string() + " --quiet --input " + (in / item).string() +
                             " --output " + run_out.string() + " --metadata " +
                             (single / "run" / (item + ".jsonl")).string());
    REQUIRE(run.exit_code == 0);
    CHECK(read_text(single / "run" / (item + ".jsonl")) == read_text(out / (item + ".jsonl")));
    CHECK(read_text(single / "run" / item) == read_text(out / item));
  }
}

namespace {

// A port the kernel just handed out (free again once closed).
int free_tcp_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::address_v4::loopback(), 0});
  return acceptor.local_endpoint().port();
}

// The whole HTTP response (status line, headers, body); empty when nothing answers.
std::string http_get(int port, const std::string& target) {
  boost::asio::ip::tcp::iostream stream("127.0.0.1", std::to_string(port));
  if (!stream) return "";
  stream << "GET " << target << " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" << std::flush;
  return std::string((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
}

// Samples of a Prometheus text body by "name{labels}"; every line must be a
// comment (# HELP / # TYPE) or a well-formed sample.
std::map<std::string, double> parse_prometheus(const std::string& response) {
  static const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})?) (-?[0-9.eE+-]+|NaN|[+-]Inf)$)");
  static const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
  std::map<std::string, double> samples;
  const auto body_at = response.find("\r\n\r\n");
  REQUIRE(body_at != std::string::npos);
  std::istringstream body(response.substr(body_at + 4));
  for (std::string line; std::getline(body, line);) {
    INFO(line);
    std::smatch m;
    if (std::regex_match(line, comment)) continue;
    REQUIRE(std::regex_match(line, m, sample));
    samples[m[1]] = std::stod(m[3]);
  }
  return samples;
}

}  // namespace

TEST_CASE("run --metrics serves Prometheus text whose counters grow during the run", "[pipeline][cli]") {
  test::TempDir dir("np-cli-metrics");
  const auto input = test::shared_file("media/video/opencv_vtest.avi");
  const int port = free_tcp_port();
  std::vector<std::string> args = {NP_CLI_PATH,        "run",    pipeline_file("passthrough.yaml"),
                                   "--quiet",          "--input", input.string(),
                                   "--output",         (dir / "m.mp4").string(),
                                   "--metrics",        std::to_string(port)};  // preset medium: seconds
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0);

  const std::string processed = "neuropipe_frames_processed_total{source=\"input\"}";
  std::map<std::string, double> first;
  for (int attempt = 0; attempt < 150 && first[processed] <= 0; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (const auto response = http_get(port, "/metrics"); !response.empty()) {
      CHECK_THAT(response, Catch::StartsWith("HTTP/1.1 200 OK") && Catch::Contains("version=0.0.4"));
      first = parse_prometheus(response);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  const auto second = parse_prometheus(http_get(port, "/metrics"));
  const auto missing = http_get(port, "/nothing");
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);

  CHECK(first[processed] > 0);
  CHECK(second.at(processed) > first[processed]);
  CHECK(second.at("neuropipe_frames_read_total{source=\"input\"}") >= second.at(processed));
  CHECK(second.count("neuropipe_queue_depth{source=\"input\"}") == 1);
  CHECK(second.at("neuropipe_frames_dropped_total{source=\"input\"}") == 0);
  CHECK(second.at("neuropipe_fps") > 0);
  CHECK_THAT(missing, Catch::StartsWith("HTTP/1.1 404"));
}
