// Image sources: a folder tree read in sorted relative-path order with
// corrupt files reported and skipped, single images and .txt lists.
#include <catch2/catch.hpp>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "media_fixtures.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

// root/a.JPG, root/sub/broken.jpg (garbage), root/sub/c.jpeg, root/z_last.png,
// root/notes.txt (not an image).
void make_image_tree(const fs::path& root) {
  fs::create_directories(root / "sub");
  fs::copy_file(shared_file("media/image/dog.jpg"), root / "a.JPG");
  fs::copy_file(shared_file("media/image/cat.jpg"), root / "sub" / "c.jpeg");
  fs::copy_file(shared_file("media/image/fish.png"), root / "z_last.png");
  write_garbage(root / "sub" / "broken.jpg", 4096);
  std::ofstream(root / "notes.txt") << "not an image\n";
}

}  // namespace

TEST_CASE("an image folder is read recursively in sorted order, corrupt files skipped", "[media][images]") {
  TempDir dir("np-media");
  const fs::path root = dir / "photos";
  make_image_tree(root);

  auto source = media::open_source(source_spec(root.string()));
  CHECK(source->info().codec == "image");
  CHECK(source->info().frame_count == 4);  // image files found, before decoding
  const cv::Mat dog = cv::imread(shared_file("media/image/dog.jpg").string());
  CHECK(source->info().width == dog.cols);

  std::vector<std::string> order;
  while (FramePtr frame = source->read()) {
    CHECK(frame->origin().index == static_cast<int64_t>(order.size()));
    CHECK(frame->origin().path == (root / frame->origin().relative_path).string());
    order.push_back(frame->origin().relative_path);
  }
  CHECK(order == std::vector<std::string>{"a.JPG", "sub/c.jpeg", "z_last.png"});
  REQUIRE(source->errors().size() == 1);
  CHECK_THAT(source->errors()[0], Catch::Contains((root / "sub" / "broken.jpg").string()));
}

TEST_CASE("a single image and an image list are sources too", "[media][images]") {
  TempDir dir("np-media");
  make_image_tree(dir.path());

  auto single = media::open_source(source_spec((dir / "z_last.png").string()));
  FramePtr only = single->read();
  REQUIRE(only);
  CHECK(only->origin().relative_path == "z_last.png");
  CHECK(single->read() == nullptr);

  fs::create_directories(dir / "lists");
  std::ofstream(dir / "lists" / "batch.txt")
      << "../z_last.png\n\n# a comment\n../sub/c.jpeg\n../missing.jpg\n";
  auto list = media::open_source(source_spec((dir / "lists" / "batch.txt").string()));
  FramePtr first = list->read(), second = list->read();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(fs::path(first->origin().path).filename() == "z_last.png");
  CHECK(fs::path(second->origin().path).filename() == "c.jpeg");
  CHECK(list->read() == nullptr);
  REQUIRE(list->errors().size() == 1);
  CHECK_THAT(list->errors()[0], Catch::Contains("missing.jpg"));
}

TEST_CASE("missing or empty image inputs are Errors naming them", "[media][images]") {
  TempDir dir("np-media");
  const auto missing = dir / "nothing-here.png";
  CHECK_THAT(error_message([&] { media::open_source(source_spec(missing.string())); }),
             Catch::Contains(missing.string()));
  fs::create_directories(dir / "empty");
  CHECK_THAT(error_message([&] { media::open_source(source_spec((dir / "empty").string())); }),
             Catch::Contains("empty") && Catch::Contains("no image files"));
}
