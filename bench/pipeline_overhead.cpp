// pipeline_overhead: what the pipeline runtime costs on top of decoding and
// encoding. Three ways through the same file, same libraries, same settings:
//   ffmpeg     the ffmpeg CLI: decode + libx264 encode (the outside reference)
//   bare loop  media::open_source -> open_sink (video + JSON lines), one thread, no runtime
//   pipeline   pipelines/passthrough.yaml through pipeline::Runner (readers, flow graph, sequencer)
// Usage: np_bench_pipeline_overhead [VIDEO] [--preset P] [--repeat N]
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "neuropipe/media/sink.hpp"
#include "neuropipe/media/source.hpp"
#include "neuropipe/pipeline/loader.hpp"
#include "neuropipe/pipeline/runner.hpp"
#include "neuropipe/pipeline/validation.hpp"

namespace fs = std::filesystem;
using namespace neuropipe;
using Clock = std::chrono::steady_clock;

namespace {

struct Measurement {
  int64_t frames = 0;
  double seconds = 0;
  double fps() const { return seconds > 0 ? double(frames) / seconds : 0; }
};

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

Measurement ffmpeg_cli(const fs::path& input, const fs::path& output, const std::string& preset,
                       int64_t frames) {
  const std::string command = "ffmpeg -hide_banner -loglevel error -y -i '" + input.string() +
                              "' -an -c:v libx264 -preset " + preset + " -crf 23 -pix_fmt yuv420p '" +
                              output.string() + "'";
  const auto start = Clock::now();
  if (std::system(command.c_str()) != 0) throw Error("ffmpeg failed: " + command);
  return {frames, since(start)};
}

Measurement bare_loop(const fs::path& input, const fs::path& output, const std::string& preset) {
  const auto start = Clock::now();
  media::SourceSpec source_spec;
  source_spec.uri = input.string();
  auto source = media::open_source(source_spec);
  auto video = media::open_sink({"video", "video", output.string(), {{"preset", preset}}}, source->info());
  auto jsonl = media::open_sink({"metadata", "jsonl", output.string() + ".jsonl", {}}, source->info());
  Measurement m;
  while (auto frame = source->read()) {
    video->write(*frame);
    jsonl->write(*frame);
    ++m.frames;
  }
  video->close();
  jsonl->close();
  m.seconds = since(start);
  return m;
}

Measurement pipeline_run(const fs::path& pipeline_file, const fs::path& input, const fs::path& output,
                         const std::string& preset) {
  const auto start = Clock::now();
  const pipeline::RegistryCatalog catalog(plugin::PluginRegistry::discover());
  auto spec = pipeline::load_pipeline(
      pipeline_file, {{"input", input.string()}, {"output", output.string()}, {"preset", preset}});
  pipeline::Runner runner(pipeline::validate(std::move(spec), catalog), catalog);
  const auto summary = runner.run();
  if (summary.outcome != pipeline::Outcome::completed) throw Error("pipeline run failed: " + summary.error);
  return {summary.frames, since(start)};
}

void print_row(const std::string& name, const Measurement& m, double reference_fps) {
  std::printf("  %-10s %6lld frames  %7.2f s  %7.1f fps  %5.2fx of ffmpeg\n", name.c_str(),
              static_cast<long long>(m.frames), m.seconds, m.fps(),
              reference_fps > 0 ? m.fps() / reference_fps : 0);
}

}  // namespace

int main(int argc, char** argv) {
  fs::path input = "../shared/media/video/opencv_vtest.avi";
  std::string preset = "ultrafast";
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--preset" && i + 1 < argc)
      preset = argv[++i];
    else if (arg == "--repeat" && i + 1 < argc)
      repeat = std::max(1, std::atoi(argv[++i]));
    else
      input = arg;
  }
  const fs::path pipeline_file = fs::path(NEUROPIPE_SOURCE_DIR) / "pipelines/passthrough.yaml";
  const fs::path dir = fs::temp_directory_path() / "np-bench-overhead";
  fs::create_directories(dir);
  try {
    // Best of `repeat` for each, interleaved so machine noise hits all three alike.
    Measurement best_ffmpeg, best_bare, best_pipeline;
    for (int r = 0; r < repeat; ++r) {
      const auto bare = bare_loop(input, dir / "bare.mp4", preset);
      const auto ffmpeg = ffmpeg_cli(input, dir / "ffmpeg.mp4", preset, bare.frames);
      const auto piped = pipeline_run(pipeline_file, input, dir / "pipeline.mp4", preset);
      if (r == 0 || ffmpeg.fps() > best_ffmpeg.fps()) best_ffmpeg = ffmpeg;
      if (r == 0 || bare.fps() > best_bare.fps()) best_bare = bare;
      if (r == 0 || piped.fps() > best_pipeline.fps()) best_pipeline = piped;
    }
    std::printf("pipeline overhead: %s, libx264 preset %s, best of %d\n", input.filename().c_str(),
                preset.c_str(), repeat);
    print_row("ffmpeg", best_ffmpeg, best_ffmpeg.fps());
    print_row("bare loop", best_bare, best_ffmpeg.fps());
    print_row("pipeline", best_pipeline, best_ffmpeg.fps());
    std::printf("  pipeline / bare loop: %.2fx\n",
                best_bare.fps() > 0 ? best_pipeline.fps() / best_bare.fps() : 0);
  } catch (const std::exception& e) {
    std::cerr << "pipeline_overhead: " << e.what() << "\n";
    fs::remove_all(dir);
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
