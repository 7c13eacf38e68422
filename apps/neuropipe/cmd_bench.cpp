// `neuropipe bench`: the engine benchmark, NeuroPipe vs ONNX Runtime vs
// OpenCV DNN on the same model and input, in the same run.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>

#include "bench_suite.hpp"
#include "command.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/models/store.hpp"

namespace neuropipe::cli {

namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

template <class T>
std::vector<T> split_list(const std::string& text) {
  std::vector<T> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    if (item.empty()) continue;
    if constexpr (std::is_same_v<T, int>) out.push_back(std::stoi(item));
    else out.push_back(item);
  }
  return out;
}

// A path, "export:NAME" (tools/export output in the cache) or a manifest name.
bench::ModelResolver make_resolver() {
  return [store = std::make_shared<models::ModelStore>(models::StoreConfig::from_environment())](
             const std::string& name) -> std::string {
    if (fs::exists(name)) return name;
    if (name.rfind("export:", 0) == 0) {
      fs::path p = store->config().cache_dir / "exports" / (name.substr(7) + ".onnx");
      if (!fs::exists(p))
        throw Error("exported model " + p.string() + " not found: run tools/export/export_models.sh first");
      return p.string();
    }
    return store->fetch(name).string();
  };
}

int run_bench(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "--worker") return bench::run_worker({args.begin() + 1, args.end()});

  std::string model, threads = "1,2", peers = "neuropipe,onnxruntime,opencv", json_out;
  std::vector<std::string> shapes;
  bench::SuiteOptions options;
  po::options_description desc("neuropipe bench [--model NAME_OR_PATH | --all] [options]");
  desc.add_options()("help,h", "show this help")(
      "model", po::value(&model), "manifest name, export:NAME, or .onnx path")(
      "all", "run the standard benchmark set")("threads", po::value(&threads), "thread counts, e.g. 1,2")(
      "peers", po::value(&peers), "neuropipe,onnxruntime,opencv (also neuropipe-unoptimized: no fusion passes)")(
      "batch", po::value(&options.batch)->default_value(1), "frames per run")(
      "streams", po::value(&options.streams)->default_value(1), "concurrent callers on one model")(
      "shape", po::value(&shapes), "input shape override NAME=1x3x224x224 (repeatable)")(
      "min-time", po::value(&options.min_seconds)->default_value(2.0), "seconds of timed runs per measurement")(
      "json", po::value(&json_out), "write results to this JSON file")(
      "profile", "after timing, profile NeuroPipe's runs per op type and node and print the table");
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  po::notify(vm);
  if (vm.count("help") || (model.empty() && !vm.count("all"))) {
    std::cout << desc << "\n";
    return vm.count("help") ? 0 : 2;
  }
  options.profile = vm.count("profile") != 0;
  options.threads = split_list<int>(threads);
  options.peers = split_list<std::string>(peers);
  options.worker_exe = fs::read_symlink("/proc/self/exe").string();

  auto resolve = make_resolver();
  std::vector<bench::BenchCase> cases;
  std::vector<std::string> missing;
  if (vm.count("all")) {
    cases = bench::standard_cases(resolve, missing);
  } else {
    // A file is shown by its stem; a manifest or export name as written.
    const std::string display = fs::exists(model) ? fs::path(model).stem().string() : model;
    bench::BenchCase c{display, resolve(model), {}};
    for (const auto& s : shapes) bench::parse_shape_override(s, c.shapes);
    cases.push_back(c);
  }
  for (const auto& m : missing) std::cerr << "bench: skipped " << m << "\n";
  auto doc = bench::run_suite(cases, options);
  doc["skipped"] = missing;
  if (!json_out.empty()) {
    std::ofstream(json_out) << doc.dump(2) << "\n";
    std::cerr << "bench: wrote " << json_out << "\n";
  }
  return 0;
}

const CommandRegistrar registrar({"bench", "benchmark the engine against ONNX Runtime and OpenCV DNN", run_bench});

}  // namespace

}  // namespace neuropipe::cli
