// JSON-lines sink: one parseable object per frame with origin fields and
// every metadata item; abort() and write failures leave no file.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "media_fixtures.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

media::SinkSpec jsonl_sink(const fs::path& file) {
  media::SinkSpec spec;
  spec.name = "results";
  spec.kind = "jsonl";
  spec.uri = file.string();
  return spec;
}

FramePtr frame_with_results(int64_t index) {
  FrameOrigin origin;
  origin.source = "cam";
  origin.index = index;
  origin.pts = index * 2;
  origin.time_base = 0.02;
  origin.path = "/photos/" + std::to_string(index) + ".jpg";
  auto frame = std::make_shared<Frame>(cv::Mat(4, 4, CV_8UC3, cv::Scalar::all(0)), origin);
  auto detections = std::make_shared<Detections>();
  Detection person;
  person.box = {1, 2, 30, 40};
  person.label = "person";
  person.score = 0.9f;
  detections->items.push_back(person);
  frame->put("detector", detections);
  auto custom = std::make_shared<JsonMetadata>();
  custom->kind_name = "count";
  custom->value = {{"people", 1}};
  frame->put("counter", custom);
  return frame;
}

}  // namespace

TEST_CASE("the JSON-lines sink writes one object per frame with origin and metadata", "[media][jsonl]") {
  TempDir dir("np-media");
  const auto out = dir / "results.jsonl";
  auto sink = media::open_sink(jsonl_sink(out), {});
  for (int64_t i = 0; i < 3; ++i) sink->write(*frame_with_results(i));
  CHECK_FALSE(fs::exists(out));
  sink->close();

  std::ifstream in(out);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    const auto record = nlohmann::json::parse(line);
    CHECK(record["source"] == "cam");
    CHECK(record["index"] == lines);
    CHECK(record["pts"] == lines * 2);
    CHECK(record["time"].get<double>() == Approx(lines * 0.04));
    CHECK(record["path"] == "/photos/" + std::to_string(lines) + ".jpg");
    CHECK(record["detector"][0]["label"] == "person");
    CHECK(record["detector"][0]["box"][3].get<double>() == Approx(40));
    CHECK(record["counter"]["people"] == 1);
    CHECK(line.rfind("{\"source\":\"cam\",\"index\":", 0) == 0);  // fixed field order
    ++lines;
  }
  CHECK(lines == 3);
  CHECK(files_under(dir.path()) == std::vector<std::string>{"results.jsonl"});
}

TEST_CASE("JSON-lines abort() and a full disk leave no file", "[media][jsonl]") {
  TempDir dir("np-media");
  auto aborted = media::open_sink(jsonl_sink(dir / "aborted.jsonl"), {});
  aborted->write(*frame_with_results(0));
  aborted->abort();
  CHECK(files_under(dir.path()).empty());

  const auto full = dir / "full.jsonl";
  auto sink = media::open_sink(jsonl_sink(full), {});
  std::string message;
  {
    FileSizeLimit disk_full(4096);
    message = error_message([&] {
      for (int64_t i = 0; i < 1000; ++i) sink->write(*frame_with_results(i));
    });
  }
  CHECK_THAT(message, Catch::Contains(full.string()));
  CHECK(files_under(dir.path()).empty());
}

TEST_CASE("a JSON-lines path that is a device or a folder is refused, naming it", "[media][jsonl]") {
  // Renaming the finished file over /dev/full would replace the device node.
  for (const std::string target : {"/dev/full", "/dev/null"}) {
    const auto message = error_message([&] { media::open_sink(jsonl_sink(target), {}); });
    CHECK_THAT(message, Catch::Contains("'" + target + "'") && Catch::Contains("not a regular file"));
    CHECK(fs::is_character_file(target));
  }
  TempDir dir("np-media");
  const auto message = error_message([&] { media::open_sink(jsonl_sink(dir.path()), {}); });
  CHECK_THAT(message, Catch::Contains(dir.path().string()));
  CHECK(files_under(dir.path()).empty());
}
