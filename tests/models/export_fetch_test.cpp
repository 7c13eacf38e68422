// `neuropipe models fetch` for an export-only model, offline: the upstream
// weights (a real torchvision state_dict, the seeded one export_models.py
// saves with --save-weights) come from a local HTTP server, sha256-checked;
// the store runs the real recipe (tools/export/torchvision_classifier.py) and
// the ONNX it leaves in the cache loads in the engine and matches PyTorch's
// reference output for the same weights (exports/squeezenet1_1.output_0.pb).
#include <catch2/catch.hpp>
#include <iostream>

#include "local_http_server.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/models/sha256.hpp"
#include "neuropipe/nn/model.hpp"
#include "parity_support.hpp"
#include "store_fixture.hpp"

using Catch::Matchers::Contains;
using neuropipe::models::VerifyResult;
namespace np = neuropipe;
namespace test = neuropipe::test;
namespace fs = std::filesystem;

namespace {

// The seeded squeezenet1_1 state_dict tools/test.sh writes beside the exports.
fs::path seeded_weights() {
  const fs::path weights = test::exports_dir() / "squeezenet1_1.pth";
  if (!fs::exists(weights))
    FAIL("missing " << weights
                    << ": run /usr/bin/python3.11 tools/export/export_models.py squeezenet1_1 --save-weights "
                    << weights << " (tools/test.sh does)");
  return weights;
}

std::string export_entry(const std::string& url, const std::string& sha256) {
  return "models:\n"
         "  - name: tv-squeezenet1-1\n"
         "    task: classify\n"
         "    file: classify/tv-squeezenet1_1.onnx\n"
         "    offline: export\n"
         "    export_recipe: torchvision_classifier\n"
         "    upstream_url: " +
         url + "\n    upstream_sha256: " + sha256 +
         "\n    source: torchvision 0.14 squeezenet1_1\n    license: BSD-3-Clause\n";
}

np::models::StoreConfig with_recipes(np::models::StoreConfig config) {
  config.recipes_dir = test::source_dir() / "tools" / "export";
  return config;
}

np::models::StoreConfig fixture_config(const test::StoreFixture& fx) {
  np::models::StoreConfig config;
  config.assets_dir = fx.assets;
  config.manifest = fx.assets / "models.yaml";
  config.cache_dir = fx.cache;
  config.mirror_dir = fx.mirror;
  return with_recipes(config);
}

}  // namespace

TEST_CASE("fetch of an export-only model downloads its weights and runs its recipe", "[models][export]") {
  test::StoreFixture fx;
  test::TempDir served("np-upstream");
  fs::copy_file(seeded_weights(), served / "squeezenet1_1-seeded.pth");
  test::LocalHttpServer server(served.path());
  const std::string sha = np::models::sha256_file(served / "squeezenet1_1-seeded.pth");
  fx.write_manifest(export_entry(server.url("squeezenet1_1-seeded.pth"), sha));
  np::models::ModelStore store(fixture_config(fx));
  CHECK(store.verify("tv-squeezenet1-1").status == VerifyResult::Status::export_only);

  const fs::path onnx = store.fetch("tv-squeezenet1-1");
  CHECK(onnx == fx.cache / "classify/tv-squeezenet1_1.onnx");
  CHECK(fs::exists(fx.cache / "upstream/squeezenet1_1-seeded.pth"));  // kept for a later re-export
  CHECK(fx.cache_files().size() == 2);                                  // no temporaries or logs left
  CHECK(store.verify("tv-squeezenet1-1").status == VerifyResult::Status::exported);

  np::nn::Session session(np::nn::Model::load(onnx));
  const auto input = test::read_tensor_proto(test::exports_dir() / "squeezenet1_1.input_0.pb");
  const auto expected = test::read_tensor_proto(test::exports_dir() / "squeezenet1_1.output_0.pb");
  const double err = test::max_rel_err(session.run({{"input", input}}).at("logits"), expected);
  std::cout << "fetched export tv-squeezenet1-1 max_rel_err=" << err << std::endl;
  CHECK(err <= 1e-4);

  // Fetched once: the next fetch is the cached file, with no server needed.
  CHECK(store.fetch("tv-squeezenet1-1") == onnx);
}

TEST_CASE("export-only fetch errors: bad weights hash, failed download, missing Python", "[models][export]") {
  test::StoreFixture fx;
  test::TempDir served("np-upstream");
  test::write_file(served / "w.pth", test::kGoodBytes);
  test::LocalHttpServer server(served.path());

  SECTION("weights whose sha256 differs are refused before any export") {
    fx.write_manifest(export_entry(server.url("w.pth"), test::kBadSha));
    np::models::ModelStore store(fixture_config(fx));
    CHECK_THROWS_WITH(store.fetch("tv-squeezenet1-1"),
                      Contains("upstream weights of model 'tv-squeezenet1-1'") &&
                          Contains("expected " + test::kBadSha) && Contains("got " + test::kGoodSha));
    CHECK(fx.cache_files().empty());
  }
  SECTION("a download that fails names the URL and the HTTP status") {
    fx.write_manifest(export_entry(server.url("gone.pth"), test::kGoodSha));
    np::models::ModelStore store(fixture_config(fx));
    CHECK_THROWS_WITH(store.fetch("tv-squeezenet1-1"), Contains(server.url("gone.pth")) && Contains("404"));
    CHECK(fx.cache_files().empty());
  }
  SECTION("no Python is named with what to install, before downloading") {
    fx.write_manifest(export_entry(server.url("w.pth"), test::kGoodSha));
    auto config = fixture_config(fx);
    config.python = "/nonexistent/python3.11";
    np::models::ModelStore store(config);
    CHECK_THROWS_WITH(store.fetch("tv-squeezenet1-1"),
                      Contains("/nonexistent/python3.11") && Contains("python3-torch") &&
                          Contains("NEUROPIPE_PYTHON"));
    CHECK(fx.cache_files().empty());
  }
  SECTION("a recipe that fails shows its own error; nothing enters the cache") {
    // Not a state_dict: torch.load fails inside the recipe.
    fx.write_manifest(export_entry(server.url("w.pth"), test::kGoodSha));
    np::models::ModelStore store(fixture_config(fx));
    CHECK_THROWS_WITH(store.fetch("tv-squeezenet1-1"),
                      Contains("torchvision_classifier.py failed (exit status 1)") && Contains("Error"));
    CHECK_FALSE(fs::exists(fx.cache / "classify/tv-squeezenet1_1.onnx"));
  }
}
