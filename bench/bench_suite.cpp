#include "bench_suite.hpp"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cpu_info.hpp"
#include "model_flops.hpp"
#include "neuropipe/error.hpp"

extern char** environ;

namespace neuropipe::bench {

namespace {

std::string shape_arg(const std::string& name, const std::vector<int64_t>& dims) {
  std::string s = name + "=";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}

struct WorkerResult {
  nlohmann::json json;
  double peak_rss_mb = 0.0;
};

// Runs `neuropipe bench --worker ...` and collects its JSON line and peak RSS.
WorkerResult spawn_worker(const std::string& exe, const std::vector<std::string>& args) {
  int pipefd[2];
  if (pipe(pipefd) != 0) throw Error("bench: pipe() failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipefd[0]);
  std::vector<std::string> argv_store = {exe, "bench", "--worker"};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    throw Error("bench: cannot start worker " + exe);
  }
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(pipefd[0]);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  WorkerResult r;
  // Only a fallback: Linux carries the spawning process's RSS high-water mark
  // into the child's ru_maxrss across exec, so a worker started after the parent
  // counted a big model's FLOPs reports at least the parent's peak. The worker's
  // own VmHWM (its "peak_rss_mb", read after exec) is what the table uses.
  r.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  // The result is the last line that starts with '{' (a kernel may have logged before it).
  size_t line = out.rfind("\n{");
  line = line == std::string::npos ? (out.rfind('{', 0) == 0 ? 0 : std::string::npos) : line + 1;
  if (line == std::string::npos || !WIFEXITED(status)) {
    r.json = {{"error", WIFSIGNALED(status) ? "worker crashed (signal " + std::to_string(WTERMSIG(status)) + ")"
                                            : "worker printed no result"}};
  } else {
    r.json = nlohmann::json::parse(out.substr(line), nullptr, false);
    if (r.json.is_discarded()) r.json = {{"error", "worker printed malformed JSON"}};
  }
  return r;
}

std::string fmt(double v, int precision = 2) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(precision) << v;
  return s.str();
}

const nlohmann::json* find_result(const nlohmann::json& results, const std::string& model, const std::string& peer,
                                  int threads) {
  for (const auto& r : results)
    if (r["model"] == model && r["peer"] == peer && r["threads"] == threads && !r.contains("error")) return &r;
  return nullptr;
}

// NeuroPipe's median over the peer's, as "1.23x", or "-" when either is missing.
std::string ratio(const nlohmann::json& mine, const nlohmann::json* peer, const char* key) {
  if (!peer || !mine.contains(key) || !peer->contains(key)) return "-";
  return fmt(mine[key].get<double>() / (*peer)[key].get<double>()) + "x";
}

void print_table(const nlohmann::json& doc, const SuiteOptions& options) {
  std::cout << "\nCPU: " << doc["cpu"].get<std::string>() << "   batch " << options.batch << ", streams "
            << options.streams << "\n";
  std::cout << std::left << std::setw(34) << "model" << std::setw(13) << "peer" << std::right << std::setw(4) << "thr"
            << std::setw(11) << "median ms" << std::setw(10) << "p90 ms" << std::setw(9) << "cpu ms" << std::setw(10)
            << "fps" << std::setw(10) << "RSS MB" << std::setw(9) << "GFLOP/s" << std::setw(8) << "%peak"
            << std::setw(9) << "vs ORT" << std::setw(9) << "vs OCV" << std::setw(9) << "ORT cpu" << "\n";
  for (const auto& r : doc["results"]) {
    std::cout << std::left << std::setw(34) << r["model"].get<std::string>() << std::setw(13)
              << r["peer"].get<std::string>() << std::right << std::setw(4) << r["threads"].get<int>();
    if (r.contains("error")) {
      std::cout << "   error: " << r["error"].get<std::string>().substr(0, 90) << "\n";
      continue;
    }
    std::cout << std::setw(11) << fmt(r["median_ms"]) << std::setw(10) << fmt(r["p90_ms"]) << std::setw(9)
              << (r.contains("median_cpu_ms") ? fmt(r["median_cpu_ms"]) : "-") << std::setw(10)
              << fmt(r["throughput_fps"], 1) << std::setw(10) << fmt(r["peak_rss_mb"], 0) << std::setw(9)
              << fmt(r["gflops"], 1) << std::setw(8) << fmt(r["peak_fraction"].get<double>() * 100, 0);
    if (r["peer"] == "neuropipe") {
      const auto* ort = find_result(doc["results"], r["model"], "onnxruntime", r["threads"]);
      const auto* ocv = find_result(doc["results"], r["model"], "opencv", r["threads"]);
      std::cout << std::setw(9) << ratio(r, ort, "median_ms") << std::setw(9) << ratio(r, ocv, "median_ms")
                << std::setw(9) << ratio(r, ort, "median_cpu_ms");
    }
    std::cout << "\n";
  }
  std::cout << "(vs ORT / vs OCV: NeuroPipe median latency divided by the peer's; ORT cpu: the same for the\n"
               " process CPU time per run, which other load on the machine hardly changes (at 2 threads it also\n"
               " counts ORT's spinning pool threads); below 1.00x = NeuroPipe faster)\n";
}

// The per-op tables of profiled NeuroPipe runs, one per (model, threads).
void print_profiles(const nlohmann::json& doc) {
  for (const auto& r : doc["results"]) {
    if (!r.contains("profile_text")) continue;
    std::cout << "\n" << r["model"].get<std::string>() << ", " << r["threads"].get<int>() << " thread(s):\n"
              << r["profile_text"].get<std::string>();
    if (r.contains("conv_gflops"))
      std::cout << "Conv: " << fmt(r["conv_gflops"], 1) << " GFLOP/s in the convolutions = "
                << fmt(r["conv_peak_fraction"].get<double>() * 100, 0) << "% of the measured fp32 peak\n";
  }
}


}  // namespace

// The engine-speed issue sets its efficiency target on the convolutions alone,
// so their FLOPs are divided by the Conv nodes' own time, not the model's.
void add_conv_efficiency(nlohmann::json& r, const FlopCount& flops, int batch, double peak_gflops) {
  if (!r.contains("profile") || !flops.by_op.count("Conv")) return;
  for (const auto& op : r["profile"]["ops"]) {
    if (op["op_type"] != "Conv" || op["ms_per_run"].get<double>() <= 0.0) continue;
    const double gflops = flops.by_op.at("Conv") * batch / (op["ms_per_run"].get<double>() / 1000.0) / 1e9;
    r["conv_gflops"] = gflops;
    r["conv_peak_fraction"] = gflops / peak_gflops;
  }
}

std::vector<BenchCase> standard_cases(const ModelResolver& resolve, std::vector<std::string>& missing) {
  struct Want {
    std::string name, model;
    ShapeOverrides shapes;
  };
  const std::vector<Want> wanted = {
      {"squeezenet1.0-fp32", "squeezenet1.0-fp32", {}},
      {"squeezenet1.0-fp16", "squeezenet1.0-fp16", {}},
      {"deeplabv3-mobilenetv2-voc", "deeplabv3-mobilenetv2-voc", {}},
      {"ultraface-rfb-320", "ultraface-rfb-320", {}},
      {"yunet-n-320", "yunet-n-320", {}},
      {"johnson-candy-720", "johnson-candy", {}},
      {"cyclegan-horse2zebra-256", "cyclegan-horse2zebra-compressed", {{"", {1, 3, 256, 256}}}},
      {"cyclegan-horse2zebra-512", "cyclegan-horse2zebra-compressed", {{"", {1, 3, 512, 512}}}},
      {"mobilenet_v2", "export:mobilenet_v2", {}},
      {"resnet50", "export:resnet50", {}},
      {"googlenet", "export:googlenet", {}},
      {"fasterrcnn_mobilenet_v3_large_320_fpn", "export:fasterrcnn_mobilenet_v3_large_320_fpn",
       {{"image", {3, 480, 640}}}},
      // The plugin models of issue #8 as their recipes export them (seeded weights, same architecture).
      {"pix2pix-unet256", "export:pix2pix/pix2pix-unet256", {}},
      {"colorization-eccv16", "export:colorization/colorization-eccv16", {}},
      {"colorization-siggraph17", "export:colorization/colorization-siggraph17", {}},
      {"show-and-tell-encoder", "export:caption/show-and-tell-encoder", {}},
      {"show-and-tell-decoder-step", "export:caption/show-and-tell-decoder", {{"h", {1, 1, 512}}, {"c", {1, 1, 512}}}},
  };
  std::vector<BenchCase> cases;
  for (const auto& w : wanted) {
    try {
      cases.push_back({w.name, resolve(w.model), w.shapes});
    } catch (const std::exception& e) {
      missing.push_back(w.name + ": " + e.what());
    }
  }
  return cases;
}

nlohmann::json run_suite(const std::vector<BenchCase>& cases, const SuiteOptions& options) {
  const CpuInfo cpu = detect_cpu();
  nlohmann::json doc = {{"cpu", cpu.model}, {"peak_gflops_per_core", cpu.peak_gflops(1)}, {"results", nlohmann::json::array()}};
  for (const auto& c : cases) {
    FlopCount flops;
    try {
      flops = count_flops(c.path, shapes_of(make_inputs(c.path, c.shapes, options.batch)));
    } catch (const std::exception& e) {
      std::cerr << "bench: " << c.model << ": cannot count FLOPs: " << e.what() << "\n";
    }
    for (int threads : options.threads) {
      for (const auto& peer : options.peers) {
        std::vector<std::string> args = {"--model", c.path, "--peer", peer, "--threads", std::to_string(threads),
                                         "--batch", std::to_string(options.batch), "--streams",
                                         std::to_string(options.streams), "--min-time", std::to_string(options.min_seconds)};
        if (options.profile) args.insert(args.end(), {"--profile", "1"});
        for (const auto& [name, dims] : c.shapes) args.insert(args.end(), {"--shape", shape_arg(name, dims)});
        std::cerr << "bench: " << c.model << " / " << peer << " / " << threads << " thread(s)...\n";
        auto w = spawn_worker(options.worker_exe, args);
        nlohmann::json r = w.json;
        r["model"] = c.model;
        r["peer"] = peer;
        r["threads"] = threads;
        r["batch"] = options.batch;
        r["streams"] = options.streams;
        if (!r.contains("peak_rss_mb")) r["peak_rss_mb"] = w.peak_rss_mb;
        if (!r.contains("error")) {
          const double per_run_flops = flops.total * options.batch;
          r["gflops"] = per_run_flops / (r["median_ms"].get<double>() / 1000.0) / 1e9;
          r["model_gflop"] = per_run_flops / 1e9;
          r["peak_fraction"] = r["gflops"].get<double>() / cpu.peak_gflops(threads);
          add_conv_efficiency(r, flops, options.batch, cpu.peak_gflops(threads));
        }
        doc["results"].push_back(r);
      }
    }
  }
  print_table(doc, options);
  print_profiles(doc);
  return doc;
}

int run_worker(const std::vector<std::string>& args) {
  MeasureSpec spec;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    const auto& k = args[i];
    const auto& v = args[i + 1];
    if (k == "--model") spec.model_path = v;
    else if (k == "--peer") spec.peer = v;
    else if (k == "--threads") spec.threads = std::stoi(v);
    else if (k == "--batch") spec.batch = std::stoi(v);
    else if (k == "--streams") spec.streams = std::stoi(v);
    else if (k == "--min-time") spec.min_seconds = std::stod(v);
    else if (k == "--shape") parse_shape_override(v, spec.shapes);
    else if (k == "--profile") spec.profile = v == "1";
    else throw Error("bench --worker: unknown argument " + k);
  }
  std::cout << measure(spec).dump() << std::endl;
  return 0;
}

}  // namespace neuropipe::bench
