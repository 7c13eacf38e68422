// Fetch order (cache, mirror, url), sha256 verification and atomic cache writes.
#include <catch2/catch.hpp>
#include <thread>

#include "local_http_server.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/models/sha256.hpp"
#include "neuropipe/models/store.hpp"
#include "store_fixture.hpp"

using Catch::Matchers::Contains;
using neuropipe::Error;
using neuropipe::models::VerifyResult;
namespace test = neuropipe::test;
namespace fs = std::filesystem;

TEST_CASE("sha256 of a file matches an independent implementation", "[models][sha256]") {
  test::TempDir dir;
  test::write_file(dir / "good", test::kGoodBytes);
  CHECK(neuropipe::models::sha256_file(dir / "good") == test::kGoodSha);
  test::write_file(dir / "empty", "");
  CHECK(neuropipe::models::sha256_file(dir / "empty") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK_THROWS_WITH(neuropipe::models::sha256_file(dir / "absent"), Contains("absent"));
}

TEST_CASE("fetch copies from the mirror into the cache, verified", "[models][fetch]") {
  test::StoreFixture fx;
  fx.write_manifest("models:\n" + test::entry_yaml("m", test::kGoodSha));
  test::write_file(fx.mirror / "demo/m.bin", test::kGoodBytes);
  auto store = fx.store();
  const fs::path got = store.fetch("m");
  CHECK(got == fx.cache / "demo/m.bin");
  CHECK(test::read_file(got) == test::kGoodBytes);
  CHECK(fx.cache_files() == std::vector<fs::path>{got});  // no temporaries left behind
  CHECK(store.verify("m").status == VerifyResult::Status::ok);
}

TEST_CASE("a verified cache file is used before the mirror", "[models][fetch]") {
  test::StoreFixture fx;
  fx.write_manifest("models:\n" + test::entry_yaml("m", test::kGoodSha));
  test::write_file(fx.cache / "demo/m.bin", test::kGoodBytes);
  test::write_file(fx.mirror / "demo/m.bin", test::kBadBytes);  // would fail if it were read
  auto store = fx.store();
  CHECK(store.fetch("m") == fx.cache / "demo/m.bin");
  CHECK(test::read_file(fx.cache / "demo/m.bin") == test::kGoodBytes);
}

TEST_CASE("a wrong mirror file is refused naming model, source and both hashes; nothing is cached",
          "[models][fetch]") {
  test::StoreFixture fx;
  fx.write_manifest("models:\n" + test::entry_yaml("m", test::kGoodSha));
  test::write_file(fx.mirror / "demo/m.bin", test::kBadBytes);
  auto store = fx.store();
  CHECK_THROWS_WITH(store.fetch("m"), Contains("'m'") && Contains((fx.mirror / "demo/m.bin").string()) &&
                                          Contains("expected " + test::kGoodSha) &&
                                          Contains("got " + test::kBadSha) && Contains("url: none"));
  CHECK(fx.cache_files().empty());
  CHECK(store.verify("m").status == VerifyResult::Status::mismatch);
  CHECK(store.verify("m").actual_sha256 == test::kBadSha);
}

TEST_CASE("a corrupt cache file is removed and replaced from the mirror", "[models][fetch]") {
  test::StoreFixture fx;
  fx.write_manifest("models:\n" + test::entry_yaml("m", test::kGoodSha));
  test::write_file(fx.cache / "demo/m.bin", test::kBadBytes.substr(0, 5));  // e.g. an old interrupted copy
  test::write_file(fx.mirror / "demo/m.bin", test::kGoodBytes);
  auto store = fx.store();
  const fs::path got = store.fetch("m");
  CHECK(test::read_file(got) == test::kGoodBytes);
  CHECK(fx.cache_files() == std::vector<fs::path>{got});
}

TEST_CASE("a corrupt cache file with no other source is removed, not handed out", "[models][fetch]") {
  test::StoreFixture fx;
  fx.write_manifest("models:\n" + test::entry_yaml("m", test::kGoodSha));
  test::write_file(fx.cache / "demo/m.bin", test::kBadBytes);
  auto store = fx.store(/*with_mirror=*/false);
  CHECK_THROWS_WITH(store.fetch("m"), Contains("cache") && Contains("removed") && Contains("mirror: none"));
  CHECK(fx.cache_files().empty());
}

TEST_CASE("without cache or mirror the url is downloaded (file://)", "[models][fetch]") {
  test::StoreFixture fx;
  test::write_file(fx.root / "published/m.bin", test::kGoodBytes);
  fx.write_manifest("models:\n" + test::entry_yaml("m", test::kGoodSha,
                                                   "file://" + (fx.root / "published/m.bin").string()));
  auto store = fx.store();  // the mirror folder exists but lacks the file
  CHECK(test::read_file(store.fetch("m")) == test::kGoodBytes);
  CHECK(fx.cache_files().size() == 1);
}

TEST_CASE("downloads over HTTP from a local server are verified; failures leave nothing",
          "[models][fetch][http]") {
  test::StoreFixture fx;
  test::write_file(fx.root / "www/good.bin", test::kGoodBytes);
  test::write_file(fx.root / "www/bad.bin", test::kBadBytes);
  test::LocalHttpServer server(fx.root / "www");
  fx.write_manifest("models:\n" + test::entry_yaml("good", test::kGoodSha, server.url("good.bin")) +
                    test::entry_yaml("bad", test::kGoodSha, server.url("bad.bin")) +
                    test::entry_yaml("gone", test::kGoodSha, server.url("missing.bin")));
  auto store = fx.store(/*with_mirror=*/false);

  CHECK(test::read_file(store.fetch("good")) == test::kGoodBytes);
  CHECK_THROWS_WITH(store.fetch("bad"), Contains("'bad'") && Contains(server.url("bad.bin")) &&
                                            Contains("expected " + test::kGoodSha) &&
                                            Contains("got " + test::kBadSha));
  CHECK_THROWS_WITH(store.fetch("gone"), Contains(server.url("missing.bin")) && Contains("404"));
  CHECK(fx.cache_files() == std::vector<fs::path>{fx.cache / "demo/good.bin"});
}

TEST_CASE("unknown models, and export-only models without their recipe, are clear errors", "[models][fetch]") {
  test::StoreFixture fx;
  fx.write_manifest(
      "models:\n  - name: tv\n    task: classify\n    file: tv.onnx\n    source: torchvision\n    license: "
      "BSD\n"
      "    offline: export\n    export_recipe: torchvision_classifier\n"
      "    upstream_url: https://download.pytorch.org/models/resnet18-f37072fd.pth\n");
  auto store = fx.store();
  CHECK_THROWS_AS(store.fetch("nope"), Error);
  CHECK_THROWS_WITH(store.fetch("nope"), Contains("unknown model 'nope'"));
  // The fixture's store has no recipes folder: refused before any download.
  CHECK_THROWS_WITH(store.fetch("tv"), Contains("tools/export/torchvision_classifier.py") &&
                                           Contains("resnet18-f37072fd.pth") &&
                                           Contains("NEUROPIPE_EXPORT_RECIPES"));
  CHECK(store.verify("tv").status == VerifyResult::Status::export_only);
  CHECK(fx.cache_files().empty());
}

TEST_CASE("concurrent fetches of one model all get the verified file", "[models][fetch][threads]") {
  test::StoreFixture fx;
  fx.write_manifest("models:\n" + test::entry_yaml("m", test::kGoodSha));
  test::write_file(fx.mirror / "demo/m.bin", test::kGoodBytes);
  auto store = fx.store();
  std::vector<fs::path> results(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) threads.emplace_back([&, i] { results[i] = store.fetch("m"); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(r == fx.cache / "demo/m.bin");
  CHECK(fx.cache_files().size() == 1);
}
