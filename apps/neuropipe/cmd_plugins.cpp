// neuropipe plugins list | info NAME|FILE.so | new NAME [--dir D]
//   list: every plugin found on the search path, one per line.
//   info: a plugin's parameters, metadata and flags, and where it was loaded from.
//   new:  a standalone plugin project (tools/plugin-template) ready to build.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <regex>
#include <sstream>

#include "command.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/plugin/host.hpp"

namespace neuropipe::cli {

namespace {

namespace fs = std::filesystem;
using plugin::PluginInfo;
using plugin::PluginRegistry;

constexpr const char* kUsage =
    "Usage:\n"
    "  neuropipe plugins list [--path DIR]...          plugins found (name, version, description)\n"
    "  neuropipe plugins info NAME|FILE.so [--path DIR] parameters, metadata, flags, library\n"
    "  neuropipe plugins new NAME [--dir DIR]           a standalone plugin project in DIR (default ./NAME)\n"
    "Plugins are searched in --path, $NEUROPIPE_PLUGIN_PATH, the build tree, then the install prefix.\n";

// `--path DIR` options (repeatable) and the remaining positional arguments.
struct Arguments {
  std::vector<fs::path> paths;
  std::string dir;
  std::vector<std::string> positional;
};

Arguments parse(const std::vector<std::string>& args) {
  Arguments out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--path" || a == "--dir") {
      if (i + 1 == args.size()) throw Error(a + " needs a directory");
      if (a == "--path") out.paths.emplace_back(args[++i]);
      else out.dir = args[++i];
    } else if (a.starts_with("--")) {
      throw Error("unknown option '" + a + "'\n" + kUsage);
    } else {
      out.positional.push_back(a);
    }
  }
  return out;
}

PluginRegistry discover(const Arguments& args) {
  PluginRegistry registry = PluginRegistry::discover(args.paths);
  for (const auto& problem : registry.problems()) std::cerr << "warning: " << problem << "\n";
  return registry;
}

int list_plugins(const Arguments& args) {
  const auto plugins = discover(args).list();
  size_t name_width = 4, version_width = 7;
  for (const auto& p : plugins) {
    name_width = std::max(name_width, p.name.size());
    version_width = std::max(version_width, p.version.size());
  }
  for (const auto& p : plugins)
    std::cout << std::left << std::setw(int(name_width) + 2) << p.name << std::setw(int(version_width) + 2)
              << p.version << p.description << "\n";
  if (plugins.empty()) std::cerr << "no plugins found (see `neuropipe plugins --help` for the search path)\n";
  return 0;
}

std::string joined(const std::vector<std::string>& items, const std::string& empty = "-") {
  if (items.empty()) return empty;
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// 3 rather than 3.0: ranges of integer parameters read as integers.
std::string number(double v) {
  const auto whole = static_cast<long long>(v);
  return whole == v ? std::to_string(whole) : nlohmann::json(v).dump();
}

std::string constraint(const plugin::ParamSpec& p) {
  std::ostringstream out;
  if (p.range) out << "range [" << number(p.range->first) << ", " << number(p.range->second) << "]";
  if (!p.choices.empty()) out << (p.range ? "; " : "") << "one of: " << joined(p.choices);
  return out.str();
}

void print_info(const PluginInfo& info) {
  std::vector<std::string> flags;
  if (info.concurrent) flags.push_back("concurrent");
  if (info.ordered) flags.push_back("ordered");
  if (info.batched) flags.push_back("batched");
  std::cout << info.name << " " << info.version << "\n  " << info.description << "\n\n"
            << "  library: " << info.library.string() << "\n"
            << "  flags:   " << joined(flags, "none (calls are serialised)") << "\n"
            << "  reads:   " << joined(info.reads) << "   (kind? = optional)\n"
            << "  writes:  " << joined(info.writes) << "\n\n  parameters:\n";
  if (info.params.empty()) std::cout << "    (none)\n";
  for (const auto& p : info.params) {
    const std::string def = p.default_value ? "default " + p.default_value->dump() : "required";
    std::cout << "    " << p.name << " (" << plugin::param_type_name(p.type) << ", " << def << ")";
    if (const std::string c = constraint(p); !c.empty()) std::cout << " " << c;
    std::cout << "\n        " << p.doc << "\n";
  }
}

int plugin_info(const Arguments& args) {
  if (args.positional.size() != 1) throw Error(std::string("plugins info needs one NAME or FILE.so\n") + kUsage);
  const std::string& what = args.positional[0];
  if (what.ends_with(".so")) {
    PluginRegistry registry;
    registry.add_library(fs::absolute(what));
    print_info(registry.list().front());
    return 0;
  }
  const PluginRegistry registry = discover(args);
  const PluginInfo* info = registry.find(what);
  if (!info) {
    std::vector<std::string> known;
    for (const auto& p : registry.list()) known.push_back(p.name);
    throw Error("no plugin named '" + what + "' (found: " + joined(known, "none") + ")");
  }
  print_info(*info);
  return 0;
}

// --- plugins new -----------------------------------------------------------

// The template ships under <prefix>/share/neuropipe/plugin-template beside
// the installed binary, and in the source tree's tools/ for a build tree.
fs::path template_dir() {
  std::vector<fs::path> candidates;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "neuropipe" / "plugin-template");
  candidates.push_back(fs::path(NEUROPIPE_SOURCE_DIR) / "tools" / "plugin-template");
  for (const auto& dir : candidates)
    if (fs::is_directory(dir)) return dir;
  std::string tried;
  for (const auto& dir : candidates) tried += "\n  " + dir.string();
  throw Error("cannot find the plugin template; looked in:" + tried);
}

// my_plugin -> MyPlugin
std::string class_name(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::string instantiate(std::string text, const std::string& name) {
  text = std::regex_replace(text, std::regex("@PLUGIN_NAME@"), name);
  return std::regex_replace(text, std::regex("@PLUGIN_CLASS@"), class_name(name));
}

int new_plugin(const Arguments& args) {
  if (args.positional.size() != 1) throw Error(std::string("plugins new needs one NAME\n") + kUsage);
  const std::string name = args.positional[0];
  if (!std::regex_match(name, std::regex("[a-z][a-z0-9_]*")))
    throw Error("plugin name '" + name + "' must be lower_snake_case (a-z, 0-9, _; starting with a letter)");
  const fs::path dest = args.dir.empty() ? fs::path(name) : fs::path(args.dir);
  if (fs::exists(dest) && !fs::is_empty(dest)) throw Error("'" + dest.string() + "' exists and is not empty");

  const fs::path source = template_dir();
  for (const auto& entry : fs::recursive_directory_iterator(source)) {
    if (!entry.is_regular_file()) continue;
    const fs::path target = dest / instantiate(fs::relative(entry.path(), source).string(), name);
    fs::create_directories(target.parent_path());
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    std::ofstream out(target, std::ios::binary);
    out << instantiate(text.str(), name);
    if (!out) throw Error("cannot write " + target.string());
  }
  std::cout << "created plugin project '" << name << "' in " << dest.string() << "\n"
            << "  cmake -S " << dest.string() << " -B " << (dest / "build").string()
            << " -DCMAKE_PREFIX_PATH=<NeuroPipe prefix> -DSAMPLE_INPUT=<a video>\n"
            << "  cmake --build " << (dest / "build").string() << " && ctest --test-dir "
            << (dest / "build").string() << "\n";
  return 0;
}

int plugins_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const Arguments rest = parse({args.begin() + 1, args.end()});
  if (args[0] == "list") return list_plugins(rest);
  if (args[0] == "info") return plugin_info(rest);
  if (args[0] == "new") return new_plugin(rest);
  std::cerr << "neuropipe plugins: unknown subcommand '" << args[0] << "'\n" << kUsage;
  return 2;
}

const CommandRegistrar registrar{{"plugins", "list, describe and create plugins", plugins_command}};

}  // namespace

}  // namespace neuropipe::cli
