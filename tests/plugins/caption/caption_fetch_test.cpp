// `neuropipe models fetch show-and-tell` offline: the two downloads of the
// manifest entry (the tutorial's pretrained_model.zip with both state_dicts and
// vocap.zip with the pickled Vocabulary) are stand-ins with the real files'
// layout that make_upstream_zips.py builds from the recipe's seeded ResNet-18
// weights. The store takes the three members out of the zips, runs
// tools/export/caption.py and leaves encoder, decoder and vocabulary in the
// cache, where the caption plugin finds them: it then captions the parity photo
// exactly as PyTorch does for the same weights (the seeded export's reference).
// Bad downloads (a zip without the member, a cut-short zip, a pickle that is no
// Vocabulary, a wrong sha256) fail naming the file and member, leaving no
// export, temporaries or bad downloads behind.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>

#include "json_lines.hpp"
#include <fstream>
#include <nlohmann/json.hpp>

#include "shell.hpp"
#include "caption_export.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/models/store.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// The stand-in downloads, built once per test run (torch.save of ResNet-18 takes seconds).
const fs::path& upstream_zips() {
  static const TempDir dir("np-caption-upstream");
  static const bool made = [] {
    const auto r = run_command("/usr/bin/python3.11 -B " +  // -B: no __pycache__ in tools/export
                               quoted((source_dir() / "tests/plugins/caption/make_upstream_zips.py").string()) +
                               " " + quoted(dir.path().string()));
    INFO(r.output);
    REQUIRE(r.status == 0);
    return true;
  }();
  REQUIRE(made);
  return dir.path();
}

// The real manifest's show-and-tell entry as it is (URLs, zip members,
// outputs), but for the ResNet-18 stand-in: the real weights need ResNet-152.
YAML::Node show_and_tell_entry() {
  const YAML::Node manifest = YAML::LoadFile((source_dir() / "assets/models.yaml").string());
  for (const auto& entry : manifest["models"])
    if (entry["name"].as<std::string>() == "show-and-tell") {
      YAML::Node copy = YAML::Clone(entry);
      REQUIRE(copy["export_args"][1].as<std::string>() == "resnet152");
      copy["export_args"][1] = "resnet18";
      return copy;
    }
  FAIL("assets/models.yaml has no show-and-tell entry");
  return {};
}

void write_manifest(const fs::path& assets, const YAML::Node& entry) {
  YAML::Node root;
  root["models"].push_back(entry);
  fs::create_directories(assets);
  std::ofstream(assets / "models.yaml") << YAML::Dump(root) << "\n";
}

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  if (fs::exists(dir))
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file()) files.push_back(e.path().lexically_relative(dir));
  std::sort(files.begin(), files.end());
  return files;
}

// A store over its own manifest, cache and the checkout's recipes, no mirror.
struct FetchFixture {
  TempDir root{"np-caption-fetch"};
  fs::path assets = root / "assets", cache = root / "cache";

  models::ModelStore store(const YAML::Node& entry) const {
    write_manifest(assets, entry);
    models::StoreConfig config;
    config.assets_dir = assets;
    config.manifest = assets / "models.yaml";
    config.cache_dir = cache;
    config.recipes_dir = source_dir() / "tools/export";
    return models::ModelStore(config);
  }
  // No export and no temporaries: only whole downloads may stay.
  void check_clean() const {
    for (const auto& f : files_under(cache)) {
      INFO(f);
      CHECK(f.parent_path() == "upstream");
      CHECK(f.filename().string().find(".part-") == std::string::npos);
    }
  }
};

std::string file_url(const fs::path& file) { return "file://" + file.string(); }

// The entry with the weights zip (both state_dict members) and the vocabulary zip at these URLs.
YAML::Node entry_with(const std::string& weights_url, const std::string& vocab_url) {
  YAML::Node entry = show_and_tell_entry();
  for (auto upstream : entry["upstream"])
    upstream["url"] = upstream["arg"].as<std::string>() == "vocab-pkl" ? vocab_url : weights_url;
  return entry;
}

}  // namespace

TEST_CASE("models fetch show-and-tell builds the captioner from the tutorial's two zips",
          "[caption][models][export][integration]") {
  const TempDir dir("np-caption-fetch-cli");
  const fs::path assets = dir / "assets", mirror = dir / "mirror", cache = dir / "cache";
  write_manifest(assets, show_and_tell_entry());
  // The mirror holds the downloads where the store keeps them (upstream/<name in the URL>).
  fs::create_directories(mirror / "upstream");
  for (const char* zip : {"pretrained_model.zip", "vocap.zip"})
    fs::copy_file(upstream_zips() / zip, mirror / "upstream" / zip);
  const std::string env = "NEUROPIPE_ASSETS_DIR=" + quoted(assets.string()) +
                          " NEUROPIPE_MODEL_MIRROR=" + quoted(mirror.string()) +
                          " NEUROPIPE_EXPORT_RECIPES=" + quoted((source_dir() / "tools/export").string());

  auto r = neuropipe_cli("models fetch show-and-tell", cache, env);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Contains("show-and-tell -> " + (cache / "caption/show-and-tell-encoder.onnx").string()));
  CHECK(files_under(cache) == std::vector<fs::path>{"caption/show-and-tell-decoder.onnx",
                                                    "caption/show-and-tell-encoder.onnx",
                                                    "caption/show-and-tell-vocab.txt", "upstream/pretrained_model.zip",
                                                    "upstream/vocap.zip"});
  // vocab.pkl's words in id order: the recipe's seeded vocabulary they were pickled from.
  std::ifstream got(cache / "caption/show-and-tell-vocab.txt"), seeded(caption_export_file("show-and-tell-vocab.txt"));
  CHECK(std::string(std::istreambuf_iterator<char>(got), {}) ==
        std::string(std::istreambuf_iterator<char>(seeded), {}));
  r = neuropipe_cli("models verify show-and-tell", cache, env);
  CHECK_THAT(r.output, Contains("exported"));

  // The plugin reads the fetched files and captions as PyTorch does for these weights.
  fs::create_directories(dir / "in");
  fs::copy_file(caption_export_file("caption_input.png"), dir / "in/photo.png");
  r = neuropipe_cli("batch " + quoted((source_dir() / "pipelines/caption.yaml").string()) + " " +
                        quoted((dir / "in").string()) + " " + quoted((dir / "out").string()) + " --set search=greedy",
                    cache, env);
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto lines = json_lines(dir / "out/photo.png.jsonl");
  REQUIRE(lines.size() == 1);
  const nlohmann::json reference = caption_reference()["greedy"];
  CHECK(lines[0]["caption"]["tokens"] == reference["tokens"]);
  CHECK(lines[0]["caption"]["score"].get<double>() == Approx(reference["score"].get<double>()).epsilon(1e-5));
}

TEST_CASE("show-and-tell fetch errors name the file and member and leave the store clean",
          "[caption][models][export][integration]") {
  const fs::path zips = upstream_zips();
  const FetchFixture fx;
  const std::string weights = file_url(zips / "pretrained_model.zip"), vocab = file_url(zips / "vocap.zip");

  SECTION("a zip without the expected member") {
    auto store = fx.store(entry_with(vocab, vocab));  // vocap.zip where the weights should be
    CHECK_THROWS_WITH(store.fetch("show-and-tell"),
                      Contains("no member 'encoder-5-3000.pkl'") && Contains("upstream/vocap.zip") &&
                          Contains("it holds: vocab.pkl") && Contains("removed from the cache"));
    fx.check_clean();
    CHECK(files_under(fx.cache).empty());
  }
  SECTION("a zip cut short") {
    const TempDir served("np-caption-cut");
    std::ifstream in(zips / "pretrained_model.zip", std::ios::binary);
    std::string bytes(std::istreambuf_iterator<char>(in), {});
    std::ofstream(served / "pretrained_model.zip", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    auto store = fx.store(entry_with(file_url(served / "pretrained_model.zip"), vocab));
    CHECK_THROWS_WITH(store.fetch("show-and-tell"), Contains("cannot take member 'encoder-5-3000.pkl'") &&
                                                        Contains("pretrained_model.zip is not a readable zip"));
    CHECK(files_under(fx.cache).empty());  // the bad download went too
  }
  SECTION("a vocab.pkl that is not the tutorial's Vocabulary") {
    auto store = fx.store(entry_with(weights, file_url(zips / "not-a-vocabulary.zip")));
    CHECK_THROWS_WITH(store.fetch("show-and-tell"),
                      Contains("caption.py failed") && Contains("holds a dict, not the tutorial's Vocabulary") &&
                          Contains("--vocab-pkl: member vocab.pkl of upstream/not-a-vocabulary.zip"));
    fx.check_clean();  // no encoder, decoder or vocabulary, no extracted members
  }
  SECTION("a download whose sha256 differs from the manifest's is refused before anything runs") {
    YAML::Node entry = entry_with(weights, vocab);
    entry["upstream"][2]["sha256"] = std::string(64, '0');
    auto store = fx.store(entry);
    CHECK_THROWS_WITH(store.fetch("show-and-tell"),
                      Contains("upstream weights of model 'show-and-tell'") && Contains("--vocab-pkl") &&
                          Contains("expected " + std::string(64, '0')));
    fx.check_clean();
    CHECK_FALSE(fs::exists(fx.cache / "upstream/vocap.zip"));
  }
}
