// Labels through the real manifest and mirror: store entries and own assets files.
#include <catch2/catch.hpp>

#include "neuropipe/error.hpp"
#include "neuropipe/models/sha256.hpp"
#include "neuropipe/models/store.hpp"
#include "store_fixture.hpp"
#include "test_support.hpp"

using Catch::Matchers::Contains;
namespace models = neuropipe::models;
namespace test = neuropipe::test;

namespace {

models::ModelStore real_store(const test::TempDir& cache) {
  models::StoreConfig config;
  config.assets_dir = test::source_dir() / "assets";
  config.manifest = config.assets_dir / "models.yaml";
  config.cache_dir = cache.path();
  config.mirror_dir = test::shared_file("models");
  return models::ModelStore(config);
}

}  // namespace

TEST_CASE("ImageNet labels come from the store, index prefixes stripped", "[models][labels]") {
  test::TempDir cache;
  auto store = real_store(cache);
  const auto labels = store.labels("squeezenet1.0-fp32");
  REQUIRE(labels.size() == 1000);
  CHECK(labels[0] == "tench, Tinca tinca");
  CHECK(labels[281] == "tabby, tabby cat");
  CHECK(store.labels("imagenet_labels") == labels);
}

TEST_CASE("COCO labels and own VOC labels from assets/", "[models][labels]") {
  test::TempDir cache;
  auto store = real_store(cache);
  const auto coco = store.labels("centernet-mnv3-coco");
  REQUIRE(coco.size() == 80);
  CHECK(coco[0] == "person");
  const auto voc = store.labels("deeplabv3-mobilenetv2-voc");
  REQUIRE(voc.size() == 21);
  CHECK(voc[0] == "background");
  CHECK(voc[15] == "person");
  CHECK_THROWS_WITH(store.labels("johnson-candy"), Contains("'johnson-candy' has no labels"));
}

TEST_CASE("a numbered label file out of order is an error naming file and line", "[models][labels]") {
  test::StoreFixture fx;
  test::write_file(fx.mirror / "demo/l.bin", "0,zero\n2,two\n");
  fx.write_manifest("models:\n  - name: l\n    task: labels\n    file: demo/l.bin\n    sha256: " +
                    neuropipe::models::sha256_file(fx.mirror / "demo/l.bin") +
                    "\n    source: s\n    license: MIT\n    extra: {line_format: \"index,name\"}\n");
  auto store = fx.store();
  CHECK_THROWS_WITH(store.labels("l"), Contains("l.bin:2") && Contains("expected '1,<name>'"));
}
