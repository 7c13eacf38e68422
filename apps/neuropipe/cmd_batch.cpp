// neuropipe batch FILE IN_DIR OUT_DIR: runs a pipeline over every image and
// video under IN_DIR, mirroring the tree into OUT_DIR. Sinks publish files
// atomically, so an output that exists is complete: a second run resumes by
// skipping those items. A bad item is reported and skipped; the exit status
// is non-zero only for configuration errors or when nothing could be processed.
// The pipeline's nodes are created once and every item streams through them.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "command.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/pipeline/node_set.hpp"
#include "neuropipe/pipeline/validation.hpp"
#include "pipeline_session.hpp"

namespace neuropipe::cli {

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

enum class ItemKind { image, video };

struct Item {
  fs::path input;
  fs::path output;  // OUT_DIR / relative path
  ItemKind kind;
};

std::string lower_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::optional<ItemKind> kind_of(const fs::path& p) {
  static const std::vector<std::string> images = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"};
  static const std::vector<std::string> videos = {".mp4", ".avi", ".mkv", ".mov", ".webm", ".ts", ".m4v"};
  const std::string ext = lower_extension(p);
  if (std::find(images.begin(), images.end(), ext) != images.end()) return ItemKind::image;
  if (std::find(videos.begin(), videos.end(), ext) != videos.end()) return ItemKind::video;
  return std::nullopt;
}

// Sorted, so runs (and their logs) are reproducible.
std::vector<Item> collect_items(const fs::path& in_dir, const fs::path& out_dir) {
  std::vector<Item> items;
  for (const auto& entry :
       fs::recursive_directory_iterator(in_dir, fs::directory_options::skip_permission_denied)) {
    if (!entry.is_regular_file()) continue;
    if (auto kind = kind_of(entry.path()))
      items.push_back({entry.path(), out_dir / entry.path().lexically_relative(in_dir), *kind});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.input < b.input; });
  return items;
}

// An image sink may change the extension (format: png), so any image with the
// same stem beside the expected output counts.
bool already_done(const Item& item) {
  if (fs::exists(item.output)) return true;
  if (item.kind != ItemKind::image || !fs::is_directory(item.output.parent_path())) return false;
  for (const auto& entry : fs::directory_iterator(item.output.parent_path()))
    if (entry.path().stem() == item.output.stem() && kind_of(entry.path()) == ItemKind::image) return true;
  return false;
}

// Images: ${output} is the folder the image sink mirrors into (it keeps the
// file name); videos: ${output} is the output file itself.
PipelineRequest request_for(const Item& item, const PipelineRequest& base) {
  PipelineRequest request = base;
  request.variables["input"] = item.input.string();
  request.variables["output"] =
      (item.kind == ItemKind::image ? item.output.parent_path() : item.output).string();
  request.variables["metadata"] = item.output.string() + ".jsonl";
  request.show_progress = item.kind == ItemKind::video;
  return request;
}

struct Tally {
  int processed = 0, skipped = 0;
  std::vector<std::string> failures;
};

// Runs one item; returns false when the user interrupted the batch.
bool process_item(const Item& item, const PipelineRequest& base, const pipeline::NodeCatalog& catalog,
                  const InterruptCounter& interrupts, Tally& tally) {
  fs::create_directories(item.output.parent_path());
  try {
    const auto summary = run_pipeline_file(request_for(item, base), catalog, interrupts);
    if (summary.outcome == pipeline::Outcome::completed && summary.frames > 0) {
      ++tally.processed;
      return true;
    }
    if (summary.outcome == pipeline::Outcome::stopped || summary.outcome == pipeline::Outcome::aborted)
      return false;
    tally.failures.push_back(item.input.string() + ": " +
                             (summary.error.empty() ? "no frame could be processed" : summary.error));
  } catch (const std::exception& e) {
    tally.failures.push_back(item.input.string() + ": " + e.what());
  }
  spdlog::warn("skipped {}", tally.failures.back());
  return true;
}

int batch_command(const std::vector<std::string>& args) {
  po::options_description options(
      "neuropipe batch FILE IN_DIR OUT_DIR | batch --pipeline FILE IN_DIR OUT_DIR");
  options.add_options()("help,h", "show this help")("pipeline,p", po::value<std::string>(),
                                                    "the pipeline file (instead of the first argument)")(
      "set,s", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE: sets the variable ${KEY}")(
      "max-in-flight", po::value<int>(), "frames in flight per source");
  po::options_description all;
  all.add(options).add_options()("args", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("args", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "neuropipe batch: " << e.what() << "\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  auto rest = vm.count("args") ? vm["args"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (vm.count("pipeline")) rest.insert(rest.begin(), vm["pipeline"].as<std::string>());
  if (rest.size() != 3) {
    std::cerr << "neuropipe batch: expected a pipeline FILE, IN_DIR and OUT_DIR\n" << options;
    return 2;
  }
  const fs::path in_dir = rest[1], out_dir = rest[2];
  if (!fs::is_directory(in_dir)) throw Error("input folder '" + in_dir.string() + "' does not exist");

  PipelineRequest base;
  base.file = rest[0];
  if (vm.count("set")) apply_assignments(vm["set"].as<std::vector<std::string>>(), base.variables);
  if (vm.count("max-in-flight")) base.options.max_in_flight = vm["max-in-flight"].as<int>();

  const auto items = collect_items(in_dir, out_dir);
  if (items.empty()) throw Error("input folder '" + in_dir.string() + "' holds no images or videos");
  // Configuration errors (unknown plugin, bad parameter) would fail every
  // item alike: check once, with the first item, and stop.
  const auto first = request_for(items.front(), base);
  const auto catalog = discover_plugins(pipeline::load_pipeline(base.file, first.variables).plugin_path);
  const auto validated = pipeline::validate(pipeline::load_pipeline(base.file, first.variables), *catalog);
  // The nodes (and the models they load) are made once and lent to every
  // item's run; only sources and sinks are opened per item.
  pipeline::NodeSet nodes(validated, *catalog);
  base.options.shared_nodes = &nodes;

  const InterruptCounter interrupts;
  Tally tally;
  for (size_t i = 0; i < items.size(); ++i) {
    if (already_done(items[i])) {
      ++tally.skipped;
      continue;
    }
    spdlog::info("[{}/{}] {}", i + 1, items.size(), items[i].input.string());
    if (!process_item(items[i], base, *catalog, interrupts, tally)) {
      std::cerr << "interrupted; run the same command again to resume\n";
      return 130;
    }
  }
  std::cout << "batch: " << tally.processed << " processed, " << tally.skipped << " already done, "
            << tally.failures.size() << " failed (of " << items.size() << ")\n";
  for (const auto& failure : tally.failures) std::cout << "  failed: " << failure << "\n";
  const bool nothing_done = tally.processed == 0 && tally.skipped == 0;
  return nothing_done ? 1 : 0;
}

const CommandRegistrar registrar{
    {"batch", "run a pipeline over a folder of images or videos (resumable)", batch_command}};

}  // namespace

}  // namespace neuropipe::cli
