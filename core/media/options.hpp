#pragma once
// Typed access to the string options of a source or sink spec, with errors
// that name the owner and the field ("sink 'out' option crf: ...").
#include <map>
#include <set>
#include <string>

namespace neuropipe::media {

class Options {
 public:
  // `owner` names the spec in messages, e.g. "source 'cam'".
  Options(std::map<std::string, std::string> values, std::string owner)
      : values_(std::move(values)), owner_(std::move(owner)) {}

  std::string text(const std::string& key, const std::string& fallback) const;
  long long integer(const std::string& key, long long fallback) const;
  double number(const std::string& key, double fallback) const;
  bool flag(const std::string& key, bool fallback) const;

  const std::string& owner() const { return owner_; }

  // The options no accessor above has read: they are handed on to FFmpeg.
  std::map<std::string, std::string> unread() const;

 private:
  const std::string* find(const std::string& key) const;
  std::string field(const std::string& key) const { return owner_ + " option " + key; }

  std::map<std::string, std::string> values_;
  std::string owner_;
  mutable std::set<std::string> read_;
};

}  // namespace neuropipe::media
