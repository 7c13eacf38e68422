#include "plugin/param_validation.hpp"

#include <algorithm>

#include "neuropipe/error.hpp"

namespace neuropipe::plugin {

namespace {

using nlohmann::json;

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string number_text(double v) {
  json j = v;
  if (v == static_cast<double>(static_cast<long long>(v))) j = static_cast<long long>(v);
  return j.dump();
}

class Checker {
 public:
  Checker(const PluginInfo& plugin, const std::string& node_name)
      : prefix_("node '" + node_name + "' (plugin " + plugin.name + "): ") {}

  [[noreturn]] void fail(const std::string& what) const { throw Error(prefix_ + what); }

  void check_type(const ParamSpec& spec, const json& value) const {
    const bool ok = [&] {
      switch (spec.type) {
        case NP_PARAM_BOOL: return value.is_boolean();
        case NP_PARAM_INT: return value.is_number_integer();
        case NP_PARAM_FLOAT: return value.is_number();
        case NP_PARAM_STRING:
        case NP_PARAM_PATH: return value.is_string();
        case NP_PARAM_STRING_LIST:
          return value.is_array() && std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
      }
      return false;
    }();
    if (!ok)
      fail("parameter '" + spec.name + "' must be " + article(spec.type) + param_type_name(spec.type) + ", got " +
           value.dump());
  }

  void check_range(const ParamSpec& spec, const json& value) const {
    if (!spec.range || !value.is_number()) return;
    const double v = value.get<double>();
    if (v < spec.range->first || v > spec.range->second)
      fail("parameter '" + spec.name + "' = " + value.dump() + " is out of range [" +
           number_text(spec.range->first) + ", " + number_text(spec.range->second) + "]");
  }

  void check_choices(const ParamSpec& spec, const json& value) const {
    if (spec.choices.empty()) return;
    auto allowed = [&](const json& v) {
      return std::find(spec.choices.begin(), spec.choices.end(), v.get<std::string>()) != spec.choices.end();
    };
    const std::vector<json> items = value.is_array() ? value.get<std::vector<json>>() : std::vector<json>{value};
    for (const json& item : items)
      if (!allowed(item))
        fail("parameter '" + spec.name + "' = " + item.dump() + " is not one of: " + joined(spec.choices));
  }

 private:
  static std::string article(np_param_type t) { return t == NP_PARAM_INT ? "an " : "a "; }
  std::string prefix_;
};

}  // namespace

json validate_params(const PluginInfo& plugin, const std::string& node_name, const json& params) {
  Checker check(plugin, node_name);
  if (!params.is_null() && !params.is_object()) check.fail("parameters must be a mapping, got " + params.dump());
  const json given = params.is_null() ? json::object() : params;

  for (const auto& item : given.items()) {
    const std::string& name = item.key();  // not a structured binding: clang 14 cannot capture those
    auto spec = std::find_if(plugin.params.begin(), plugin.params.end(), [&](const ParamSpec& p) { return p.name == name; });
    if (spec == plugin.params.end()) {
      std::vector<std::string> known;
      for (const auto& p : plugin.params) known.push_back(p.name);
      check.fail("unknown parameter '" + name + "' (known: " + (known.empty() ? "none" : joined(known)) + ")");
    }
  }

  json out = json::object();
  for (const ParamSpec& spec : plugin.params) {
    if (!given.contains(spec.name)) {
      if (!spec.default_value)
        check.fail("parameter '" + spec.name + "' is required (" + param_type_name(spec.type) + ": " + spec.doc + ")");
      out[spec.name] = *spec.default_value;
      continue;
    }
    const json& value = given.at(spec.name);
    check.check_type(spec, value);
    check.check_range(spec, value);
    check.check_choices(spec, value);
    out[spec.name] = spec.type == NP_PARAM_FLOAT ? json(value.get<double>()) : value;
  }
  return out;
}

}  // namespace neuropipe::plugin
