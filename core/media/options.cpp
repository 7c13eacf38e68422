#include "media/options.hpp"

#include <charconv>

#include "neuropipe/error.hpp"

namespace neuropipe::media {

const std::string* Options::find(const std::string& key) const {
  read_.insert(key);
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

std::string Options::text(const std::string& key, const std::string& fallback) const {
  const std::string* value = find(key);
  return value ? *value : fallback;
}

long long Options::integer(const std::string& key, long long fallback) const {
  const std::string* value = find(key);
  if (!value) return fallback;
  long long parsed = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  if (ec != std::errc() || end != value->data() + value->size())
    throw Error(field(key) + ": expected an integer, got '" + *value + "'");
  return parsed;
}

double Options::number(const std::string& key, double fallback) const {
  const std::string* value = find(key);
  if (!value) return fallback;
  double parsed = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  if (ec != std::errc() || end != value->data() + value->size())
    throw Error(field(key) + ": expected a number, got '" + *value + "'");
  return parsed;
}

bool Options::flag(const std::string& key, bool fallback) const {
  const std::string* value = find(key);
  if (!value) return fallback;
  if (*value == "true" || *value == "1" || *value == "yes") return true;
  if (*value == "false" || *value == "0" || *value == "no") return false;
  throw Error(field(key) + ": expected true or false, got '" + *value + "'");
}

std::map<std::string, std::string> Options::unread() const {
  std::map<std::string, std::string> rest;
  for (const auto& [key, value] : values_)
    if (!read_.count(key)) rest.emplace(key, value);
  return rest;
}

}  // namespace neuropipe::media
