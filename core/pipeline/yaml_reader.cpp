#include "pipeline/yaml_reader.hpp"

#include <charconv>

#include "neuropipe/error.hpp"
#include "neuropipe/pipeline/validation.hpp"

namespace neuropipe::pipeline::detail {

namespace {

std::vector<std::string> keys_of(const std::set<std::string>& known) { return {known.begin(), known.end()}; }

template <class T>
bool parse_number(const std::string& text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

}  // namespace

Location YamlReader::where(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return {file_, 0, 0};
  return {file_, mark.line + 1, mark.column + 1};
}

void YamlReader::fail(const YAML::Node& node, const std::string& message, const std::string& hint) const {
  throw ValidationError({Problem{where(node), message, hint}});
}

std::string YamlReader::substitute(const std::string& text, const YAML::Node& at, int depth) const {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("${", pos);
    if (open == std::string::npos) break;
    const size_t close = text.find('}', open);
    if (close == std::string::npos)
      fail(at, "unterminated variable reference in '" + text + "'", "write ${name}");
    const std::string name = text.substr(open + 2, close - open - 2);
    auto it = variables_.find(name);
    if (it == variables_.end()) {
      std::vector<std::string> known;
      for (const auto& [k, v] : variables_) known.push_back(k);
      const auto near = close_names(name, known);
      std::string hint = "define it under `variables:` or pass --set " + name + "=VALUE";
      if (name == "input" || name == "output") hint = "pass --" + name + " PATH (or --set " + name + "=PATH)";
      if (!near.empty()) hint += "; did you mean '" + near.front() + "'?";
      fail(at, "unknown variable '" + name + "'", hint);
    }
    if (depth >= 8) fail(at, "variable '" + name + "' refers to itself (through other variables)");
    out += text.substr(pos, open - pos) + substitute(it->second, at, depth + 1);
    pos = close + 1;
  }
  return out + text.substr(pos);
}

std::string YamlReader::string(const YAML::Node& node, const std::string& field) const {
  if (!node.IsScalar()) fail(node, "'" + field + "' must be a text value");
  return substitute(node.Scalar(), node);
}

int YamlReader::integer(const YAML::Node& node, const std::string& field, int min_value,
                        int max_value) const {
  const std::string text = string(node, field);
  int value = 0;
  if (!parse_number(text, value)) fail(node, "'" + field + "' must be an integer, got '" + text + "'");
  if (value < min_value || value > max_value)
    fail(node, "'" + field + "' is " + text + ", outside [" + std::to_string(min_value) + ", " +
                   std::to_string(max_value) + "]");
  return value;
}

std::vector<std::string> YamlReader::string_list(const YAML::Node& node, const std::string& field) const {
  if (node.IsScalar()) return {string(node, field)};
  if (!node.IsSequence()) fail(node, "'" + field + "' must be a name or a list of names");
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(string(item, field));
  return out;
}

std::map<std::string, std::string> YamlReader::string_map(const YAML::Node& node,
                                                          const std::string& field) const {
  require_map(node, field);
  std::map<std::string, std::string> out;
  for (const auto& kv : node) out[kv.first.Scalar()] = string(kv.second, field + "." + kv.first.Scalar());
  return out;
}

nlohmann::json YamlReader::json(const YAML::Node& node) const {
  if (node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(json(item));
    return out;
  }
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kv : node) out[kv.first.Scalar()] = json(kv.second);
    return out;
  }
  const std::string text = substitute(node.Scalar(), node);
  if (node.Tag() == "!") return text;  // quoted in the file: always a string
  if (text == "true" || text == "false") return text == "true";
  long long integer_value = 0;
  if (parse_number(text, integer_value)) return integer_value;
  double real_value = 0;
  if (parse_number(text, real_value)) return real_value;
  return text;
}

void YamlReader::require_map(const YAML::Node& node, const std::string& what) const {
  if (!node.IsMap()) fail(node, "'" + what + "' must be a mapping (key: value lines)");
}

void YamlReader::require_sequence(const YAML::Node& node, const std::string& what) const {
  if (!node.IsSequence()) fail(node, "'" + what + "' must be a list (lines starting with '- ')");
}

void YamlReader::check_keys(const YAML::Node& map, const std::set<std::string>& known,
                            const std::string& what) const {
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (known.count(key)) continue;
    const auto near = close_names(key, keys_of(known));
    std::string hint = "known fields: ";
    for (const auto& k : known) hint += k + " ";
    if (!near.empty()) hint = "did you mean '" + near.front() + "'?";
    fail(kv.first, "unknown field '" + key + "' in " + what, hint);
  }
}

}  // namespace neuropipe::pipeline::detail
