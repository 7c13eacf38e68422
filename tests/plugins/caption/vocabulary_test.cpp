// The plain-text vocabulary: loading, special tokens, caption text, and the
// errors a broken file gives (naming the file and the line).
#include "vocabulary.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "test_support.hpp"

using namespace neuropipe;
using Catch::Contains;

namespace {

std::filesystem::path write(const test::TempDir& dir, const std::string& text) {
  const auto path = dir / "vocab.txt";
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("a vocabulary file maps line numbers to words and leaves special tokens out of the text",
          "[caption][unit]") {
  const test::TempDir dir("np-vocab");
  const auto vocab = caption::Vocabulary::load(write(dir, "<pad>\n<start>\n<end>\n<unk>\na\ndog\r\nruns\n"));
  CHECK(vocab.size() == 7);
  CHECK(vocab.start() == 1);
  CHECK(vocab.end() == 2);
  CHECK(vocab.unknown() == 3);
  CHECK(vocab.word(5) == "dog");  // a Windows line end is not part of the word
  CHECK(vocab.text({1, 4, 5, 3, 6, 2}) == "a dog runs");
  CHECK_THROWS_WITH(vocab.word(7), Contains("token 7 is outside the vocabulary of 7 words"));
}

TEST_CASE("broken vocabulary files are refused with the file and line named", "[caption][unit]") {
  const test::TempDir dir("np-vocab-bad");
  CHECK_THROWS_WITH(caption::Vocabulary::load(dir / "absent.txt"),
                    Contains("cannot read vocabulary file") && Contains("absent.txt"));
  CHECK_THROWS_WITH(caption::Vocabulary::load(write(dir, "")), Contains("holds no words"));
  CHECK_THROWS_WITH(caption::Vocabulary::load(write(dir, "<start>\n<end>\n\n<unk>\n")),
                    Contains("vocab.txt' line 3 is blank"));
  CHECK_THROWS_WITH(caption::Vocabulary::load(write(dir, "<start>\n<end>\n<unk>\nhot dog\n")),
                    Contains("line 4 holds white space: 'hot dog'"));
  CHECK_THROWS_WITH(caption::Vocabulary::load(write(dir, "<start>\n<end>\n<unk>\ndog\ndog\n")),
                    Contains("'dog' appears on line 4 and again on line 5"));
  CHECK_THROWS_WITH(caption::Vocabulary::load(write(dir, "<start>\n<unk>\ndog\n")),
                    Contains("lacks the special token <end>"));
}
