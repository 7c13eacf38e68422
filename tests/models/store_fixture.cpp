#include "store_fixture.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace neuropipe::test {

namespace fs = std::filesystem;

StoreFixture::StoreFixture() {
  fs::create_directories(assets);
  fs::create_directories(cache);
  fs::create_directories(mirror);
}

void StoreFixture::write_manifest(const std::string& yaml) const { write_file(assets / "models.yaml", yaml); }

models::ModelStore StoreFixture::store(bool with_mirror) const {
  models::StoreConfig config;
  config.assets_dir = assets;
  config.manifest = assets / "models.yaml";
  config.cache_dir = cache;
  if (with_mirror) config.mirror_dir = mirror;
  return models::ModelStore(config);
}

std::vector<fs::path> StoreFixture::cache_files() const {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(cache))
    if (e.is_regular_file()) files.push_back(e.path());
  return files;
}

void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string entry_yaml(const std::string& name, const std::string& sha256, const std::string& url) {
  return "  - name: " + name + "\n    task: classify\n    file: demo/" + name +
         ".bin\n    sha256: " + sha256 + "\n    source: a test\n    license: MIT\n" +
         (url.empty() ? "" : "    url: \"" + url + "\"\n");
}

}  // namespace neuropipe::test
