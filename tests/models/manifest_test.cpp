// Manifest parsing: the real assets/models.yaml, and precise errors for bad ones.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "neuropipe/error.hpp"
#include "neuropipe/models/store.hpp"
#include "store_fixture.hpp"
#include "test_support.hpp"

using Catch::Matchers::Contains;
using neuropipe::Error;
using neuropipe::models::Manifest;
namespace models = neuropipe::models;
namespace test = neuropipe::test;

TEST_CASE("the real manifest covers every file of the shared mirror with its sha256", "[models][manifest]") {
  const Manifest m = Manifest::load(test::source_dir() / "assets" / "models.yaml");
  std::ifstream sums(test::shared_file("models/SHA256SUMS"));
  int listed = 0;
  for (std::string sha, file; sums >> sha >> file; ++listed) {
    const auto it = std::find_if(m.entries().begin(), m.entries().end(),
                                 [&](const models::ModelEntry& e) { return e.file == file; });
    INFO(file);
    REQUIRE(it != m.entries().end());
    CHECK(it->sha256 == sha);
    CHECK_FALSE(it->export_only());
  }
  CHECK(listed == 22);
  const auto exports = std::count_if(m.entries().begin(), m.entries().end(),
                                     [](const models::ModelEntry& e) { return e.export_only(); });
  CHECK(exports == 22);  // 15 torchvision classifiers + 2 torchvision Faster R-CNN + zoo R-CNN + 2 colour +
                         // pix2pix + captioning
}

TEST_CASE("the real manifest carries input specs, outputs, labels and extras", "[models][manifest]") {
  const Manifest m = Manifest::load(test::source_dir() / "assets" / "models.yaml");
  const auto& squeeze = m.at("squeezenet1.0-fp16");
  REQUIRE(squeeze.input);
  CHECK(squeeze.input->tensor == "data_0");
  CHECK(squeeze.input->layout == models::Layout::NCHW);
  CHECK(squeeze.input->color == models::ColorOrder::BGR);
  CHECK(squeeze.input->dtype == models::DType::F16);
  CHECK(squeeze.input->width == 224);
  CHECK(squeeze.outputs.at(0).name == "softmaxout_1");
  CHECK(squeeze.outputs.at(0).decoding == "softmax");
  CHECK(squeeze.labels == "imagenet_labels");

  const auto& ultra = m.at("ultraface-rfb-320");
  CHECK(ultra.input->width == 320);
  CHECK(ultra.input->height == 240);
  CHECK(ultra.input->mean[1] == 127.0f);
  CHECK(ultra.input->std[2] == 128.0f);

  const auto& raw = m.at("ultraface-rfb-320-raw");
  CHECK(raw.extra.at("strides") == nlohmann::json({8, 16, 32, 64}));
  CHECK(raw.extra.at("center_variance").get<double>() == Approx(0.1));

  const auto& face = m.at("faceapi-resnet34-128d");
  CHECK(face.input->layout == models::Layout::NHWC);
  CHECK(face.extra.at("distance") == "euclidean");
  CHECK(face.extra.at("same_person_below").get<double>() == Approx(0.6));

  const auto& resnet = m.at("tv-resnet50");
  CHECK(resnet.export_only());
  CHECK(resnet.upstream_url == "https://download.pytorch.org/models/resnet50-0676ba61.pth");
  CHECK(resnet.input->mean[0] == Approx(0.485f));
}

namespace {

std::string parse_error(const std::string& yaml) {
  try {
    Manifest::parse(yaml, "test.yaml");
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("expected an Error for:\n" << yaml);
  return {};
}

}  // namespace

TEST_CASE("malformed YAML is reported with its line", "[models][manifest]") {
  const std::string yaml = "models:\n  - name: a\n    task: [unclosed\n    file: x\n";
  const std::string error = parse_error(yaml);
  CHECK_THAT(error, Contains("test.yaml:"));
  CHECK_THAT(error, Contains("malformed YAML"));
  // The parser stops at the unclosed list started on line 3 (it notices on line 4).
  CHECK((error.find("test.yaml:3:") != std::string::npos || error.find("test.yaml:4:") != std::string::npos));
}

TEST_CASE("a missing required field names the model, the field and the line", "[models][manifest]") {
  const std::string yaml =
      "models:\n"
      "  - name: good\n    task: t\n    file: a.onnx\n    sha256: " +
      test::kGoodSha +
      "\n    source: s\n    license: MIT\n"
      "  - name: nohash\n    task: t\n    file: b.onnx\n    source: s\n    license: MIT\n";
  const std::string error = parse_error(yaml);
  CHECK_THAT(error, Contains("test.yaml:8"));
  CHECK_THAT(error, Contains("nohash"));
  CHECK_THAT(error, Contains("sha256"));

  CHECK_THAT(parse_error("models:\n  - name: x\n    file: a\n"), Contains("missing required field 'task'"));
  CHECK_THAT(parse_error("models:\n  - task: x\n"), Contains("missing required field 'name'"));
  CHECK_THAT(parse_error("nothing: here\n"), Contains("top-level 'models:'"));
}

TEST_CASE("wrong values and unknown fields are named", "[models][manifest]") {
  const std::string head = "models:\n" + test::entry_yaml("m", test::kGoodSha);
  CHECK_THAT(parse_error(head + "    colour: RGB\n"), Contains("unknown field 'colour'"));
  CHECK_THAT(parse_error(head + "    input: {tensor: x, width: 4, height: 4, color: RGBA}\n"),
             Contains("'color' is 'RGBA', expected one of: RGB, BGR, GRAY"));
  CHECK_THAT(parse_error(head + "    input: {tensor: x, width: four, height: 4}\n"),
             Contains("'width' has an invalid value 'four'"));
  CHECK_THAT(parse_error(head + "    input: {tensor: x, width: 4, height: 4, std: [1, 0, 1]}\n"),
             Contains("zero std"));
  CHECK_THAT(parse_error(head + "    url: http://example.com/m.bin\n"), Contains("'url' must be https://"));
  CHECK_THAT(parse_error("models:\n" + test::entry_yaml("m", "ABC")), Contains("64 lower-case hex"));
  CHECK_THAT(parse_error("models:\n" + test::entry_yaml("m", test::kGoodSha) +
                         test::entry_yaml("m", test::kGoodSha)),
             Contains("'m' is defined twice (first at line 2)"));
  CHECK_THAT(
      parse_error("models:\n  - name: e\n    task: t\n    file: e.onnx\n    source: s\n    license: MIT\n"
                  "    offline: export\n    upstream_url: https://x/y.pth\n"),
      Contains("names no 'export_recipe'"));
}

TEST_CASE("an unknown model name is an Error naming it", "[models][manifest]") {
  const Manifest m = Manifest::parse("models:\n" + test::entry_yaml("known", test::kGoodSha), "x.yaml");
  CHECK(m.find("nope") == nullptr);
  CHECK_THROWS_AS(m.at("nope"), Error);
  CHECK_THROWS_WITH(m.at("nope"), Contains("unknown model 'nope'") && Contains("x.yaml"));
}

TEST_CASE("an export entry takes several upstream downloads, zip members and extra outputs",
          "[models][manifest][export]") {
  const Manifest real = Manifest::load(test::source_dir() / "assets" / "models.yaml");
  const auto& caption = real.at("show-and-tell");
  REQUIRE(caption.upstream.size() == 3);
  CHECK(caption.upstream[0].arg == "encoder-weights");
  CHECK(caption.upstream[0].member == "encoder-5-3000.pkl");
  CHECK(caption.upstream[0].url.ends_with("pretrained_model.zip?dl=1"));  // dl=0 is Dropbox's web page
  CHECK(caption.upstream[1].url == caption.upstream[0].url);
  CHECK(caption.upstream[2].arg == "vocab-pkl");
  CHECK(caption.upstream[2].url.ends_with("vocap.zip?dl=1"));
  CHECK(caption.export_args == std::vector<std::string>{"--encoder", "resnet152"});
  CHECK(caption.export_outputs == std::vector<std::string>{"decoder", "vocab"});
  // One upstream_url is the same thing as a one-file list handed over as --weights.
  const auto& resnet = real.at("tv-resnet18");
  REQUIRE(resnet.upstream.size() == 1);
  CHECK(resnet.upstream[0].arg == "weights");
  CHECK(resnet.upstream[0].url == resnet.upstream_url);
  CHECK(resnet.upstream[0].member.empty());

  const std::string head =
      "models:\n  - name: e\n    task: t\n    file: e.onnx\n    source: s\n    license: MIT\n"
      "    offline: export\n    export_recipe: r\n";
  const std::string one = "    upstream: [{arg: weights, url: \"https://x/a.zip\", member: a.pth}]\n";
  CHECK_THAT(parse_error(head + one + "    upstream_url: https://x/y.pth\n"),
             Contains("exactly one of 'upstream_url' (one file) or 'upstream'"));
  CHECK_THAT(parse_error(head), Contains("exactly one of 'upstream_url'"));
  CHECK_THAT(parse_error(head + "    upstream: [{arg: a, url: \"https://x/a\"}, {arg: a, url: \"https://x/b\"}]\n"),
             Contains("'arg' a is given twice"));
  CHECK_THAT(parse_error(head + "    upstream: [{arg: onnx, url: \"https://x/a\"}]\n"),
             Contains("'arg' must be a recipe option name"));
  CHECK_THAT(parse_error(head + "    upstream: [{arg: w, url: \"https://x/a\", sha256: abc}]\n"),
             Contains("'sha256' must be 64 lower-case hex digits"));
  CHECK_THAT(parse_error(head + "    upstream: [{arg: w, url: \"https://x/a\", member: ../a}]\n"),
             Contains("'member' must be a relative path inside the archive"));
  CHECK_THAT(parse_error(head + "    upstream: [{arg: w, link: \"https://x/a\"}]\n"), Contains("unknown field 'link'"));
  CHECK_THAT(parse_error(head + one + "    export_outputs: [decoder]\n"),
             Contains("export_outputs names 'decoder', which must be a key of 'extra'"));
  CHECK_THAT(parse_error(head + one + "    export_outputs: [decoder]\n    extra: {decoder: /abs.onnx}\n"),
             Contains("export_outputs names 'decoder'"));
  CHECK_THAT(parse_error("models:\n" + test::entry_yaml("m", test::kGoodSha) + "    export_args: [--x]\n"),
             Contains("'export_args' is for offline: export entries only"));
}
