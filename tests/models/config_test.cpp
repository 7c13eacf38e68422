// Where a store looks by default: environment variables first, then places
// found from the binary itself (this test runs from the build tree).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>

#include "neuropipe/error.hpp"
#include "neuropipe/models/store.hpp"
#include "test_support.hpp"

using Catch::Matchers::Contains;
using neuropipe::models::StoreConfig;
namespace test = neuropipe::test;
namespace fs = std::filesystem;

namespace {

// Sets (or, with nullopt, unsets) one environment variable for a scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      setenv(name, value->c_str(), 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("environment variables choose manifest, cache and mirror", "[models][config]") {
  test::TempDir dir;
  ScopedEnv assets("NEUROPIPE_ASSETS_DIR", (dir / "assets").string());
  ScopedEnv cache("NEUROPIPE_CACHE_DIR", (dir / "cache").string());
  ScopedEnv mirror("NEUROPIPE_MODEL_MIRROR", (dir / "mirror").string());
  const StoreConfig c = StoreConfig::from_environment();
  CHECK(c.manifest == dir / "assets" / "models.yaml");
  CHECK(c.cache_dir == dir / "cache");
  REQUIRE(c.mirror_dir);
  CHECK(*c.mirror_dir == dir / "mirror");
}

TEST_CASE("defaults: the source tree's assets, the XDG cache and ../shared/models", "[models][config]") {
  ScopedEnv assets("NEUROPIPE_ASSETS_DIR", std::nullopt);
  ScopedEnv cache("NEUROPIPE_CACHE_DIR", std::nullopt);
  ScopedEnv xdg("XDG_CACHE_HOME", "/tmp/np-xdg");
  ScopedEnv mirror("NEUROPIPE_MODEL_MIRROR", std::nullopt);
  const StoreConfig c = StoreConfig::from_environment();
  CHECK(fs::equivalent(c.manifest, test::source_dir() / "assets" / "models.yaml"));
  CHECK(c.cache_dir == fs::path("/tmp/np-xdg/neuropipe"));
  const fs::path shared_models = test::source_dir().parent_path() / "shared" / "models";
  if (fs::is_directory(shared_models)) {
    REQUIRE(c.mirror_dir);
    CHECK(fs::equivalent(*c.mirror_dir, shared_models));
  } else {
    CHECK_FALSE(c.mirror_dir);
  }
}

TEST_CASE("without XDG_CACHE_HOME the cache is ~/.cache/neuropipe", "[models][config]") {
  ScopedEnv cache("NEUROPIPE_CACHE_DIR", std::nullopt);
  ScopedEnv xdg("XDG_CACHE_HOME", std::nullopt);
  ScopedEnv home("HOME", "/tmp/np-home");
  CHECK(StoreConfig::from_environment().cache_dir == fs::path("/tmp/np-home/.cache/neuropipe"));
}

TEST_CASE("a missing manifest is an Error naming the path", "[models][config]") {
  test::TempDir dir;
  StoreConfig c;
  c.assets_dir = dir.path();
  c.manifest = dir / "models.yaml";
  c.cache_dir = dir / "cache";
  CHECK_THROWS_AS(neuropipe::models::ModelStore(c), neuropipe::Error);
  CHECK_THROWS_WITH(neuropipe::models::ModelStore(c), Contains((dir / "models.yaml").string()));
}
