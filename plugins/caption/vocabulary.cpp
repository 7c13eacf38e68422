#include "vocabulary.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <neuropipe/error.hpp>
#include <unordered_map>

namespace neuropipe::caption {

Vocabulary Vocabulary::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error("cannot read vocabulary file '" + file.string() + "'");
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // files written on Windows
    const std::string where =
        "vocabulary file '" + file.string() + "' line " + std::to_string(words.size() + 1);
    if (line.empty()) throw Error(where + " is blank (one word per line, the line number is the token id)");
    if (std::any_of(line.begin(), line.end(), [](unsigned char c) { return std::isspace(c); }))
      throw Error(where + " holds white space: '" + line + "'");
    words.push_back(line);
  }
  return Vocabulary(std::move(words), "vocabulary file '" + file.string() + "'");
}

Vocabulary::Vocabulary(std::vector<std::string> words, const std::string& origin) : words_(std::move(words)) {
  if (words_.empty()) throw Error(origin + " holds no words");
  std::unordered_map<std::string, size_t> seen;
  for (size_t i = 0; i < words_.size(); ++i)
    if (auto [it, fresh] = seen.emplace(words_[i], i); !fresh)
      throw Error(origin + ": '" + words_[i] + "' appears on line " + std::to_string(it->second + 1) +
                  " and again on line " + std::to_string(i + 1));
  for (const char* special : {"<start>", "<end>", "<unk>"})
    if (!seen.count(special)) throw Error(origin + " lacks the special token " + special);
  pad_ = find("<pad>");
  start_ = find("<start>");
  end_ = find("<end>");
  unknown_ = find("<unk>");
}

int Vocabulary::find(const std::string& word) const {
  auto it = std::find(words_.begin(), words_.end(), word);
  return it == words_.end() ? -1 : static_cast<int>(it - words_.begin());
}

const std::string& Vocabulary::word(int token) const {
  if (token < 0 || static_cast<size_t>(token) >= words_.size())
    throw Error("token " + std::to_string(token) + " is outside the vocabulary of " +
                std::to_string(words_.size()) + " words");
  return words_[static_cast<size_t>(token)];
}

std::string Vocabulary::text(const std::vector<int>& tokens) const {
  std::string out;
  for (int t : tokens) {
    if (t == pad_ || t == start_ || t == end_ || t == unknown_) continue;
    if (!out.empty()) out += ' ';
    out += word(t);
  }
  return out;
}

}  // namespace neuropipe::caption
