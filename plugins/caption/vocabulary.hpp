#pragma once
// The captioner's vocabulary: a plain-text file, one word per line, the line
// number (from 0) being the token id, as tools/export/caption.py writes it
// (also from the tutorial's vocab.pkl). <start>, <end> and <unk> must be in
// it; <pad>, <start>, <end> and <unk> never appear in a caption's text.
#include <filesystem>
#include <string>
#include <vector>

namespace neuropipe::caption {

class Vocabulary {
 public:
  // Throws naming the file and line for an unreadable or empty file, a blank
  // line, a word holding white space, a repeated word or a missing special token.
  static Vocabulary load(const std::filesystem::path& file);
  explicit Vocabulary(std::vector<std::string> words, const std::string& origin = "vocabulary");

  size_t size() const { return words_.size(); }
  const std::string& word(int token) const;
  int start() const { return start_; }
  int end() const { return end_; }
  int unknown() const { return unknown_; }
  // The words of `tokens` joined by spaces, without the special tokens.
  std::string text(const std::vector<int>& tokens) const;

 private:
  int find(const std::string& word) const;

  std::vector<std::string> words_;
  int pad_ = -1, start_ = -1, end_ = -1, unknown_ = -1;
};

}  // namespace neuropipe::caption
