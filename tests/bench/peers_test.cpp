#include <catch2/catch.hpp>

#include "measure.hpp"
#include "test_support.hpp"

using namespace neuropipe;

namespace {
bench::MeasureSpec quick_spec(const std::string& peer, bool profile) {
  bench::MeasureSpec spec;
  spec.model_path = test::shared_file("models/classify/squeezenet1.0-fp32.onnx").string();
  spec.peer = peer;
  spec.min_seconds = 0.05;
  spec.min_iterations = 2;
  spec.profile = profile;
  return spec;
}
}  // namespace

TEST_CASE("bench --profile adds NeuroPipe's per-op profile to the result", "[bench][profile]") {
  const nlohmann::json r = bench::measure(quick_spec("neuropipe", true));
  REQUIRE_FALSE(r.contains("error"));
  REQUIRE(r.contains("profile"));
  CHECK(r["profile"]["runs"].get<uint64_t>() >= 10);
  CHECK(r["profile"]["ops"][0]["op_type"] == "Conv");  // SqueezeNet's time is in its convolutions
  CHECK(r["profile_text"].get<std::string>().find("ms/run") != std::string::npos);
}

TEST_CASE("the neuropipe-unoptimized peer runs the model without fusion passes", "[bench]") {
  const nlohmann::json r = bench::measure(quick_spec("neuropipe-unoptimized", false));
  REQUIRE_FALSE(r.contains("error"));
  CHECK(r["median_ms"].get<double>() > 0.0);
  CHECK_FALSE(r.contains("profile"));
}

TEST_CASE("one-stream runs also report the process CPU time per run", "[bench]") {
  const nlohmann::json r = bench::measure(quick_spec("neuropipe", false));
  REQUIRE_FALSE(r.contains("error"));
  REQUIRE(r.contains("median_cpu_ms"));
  CHECK(r["median_cpu_ms"].get<double>() > 0.0);
  // One thread: a run cannot use more CPU than the wall time it took (plus timer slack).
  CHECK(r["median_cpu_ms"].get<double>() <= r["p90_ms"].get<double>() * 1.2 + 0.5);

  bench::MeasureSpec two_streams = quick_spec("neuropipe", false);
  two_streams.streams = 2;
  const nlohmann::json shared = bench::measure(two_streams);
  REQUIRE_FALSE(shared.contains("error"));
  CHECK_FALSE(shared.contains("median_cpu_ms"));  // two callers share the process: no per-run CPU time
}

TEST_CASE("a measurement reports its own process's peak RSS", "[bench]") {
  const nlohmann::json r = bench::measure(quick_spec("neuropipe", false));
  REQUIRE_FALSE(r.contains("error"));
  REQUIRE(r.contains("peak_rss_mb"));
  // SqueezeNet's weights alone are ~5 MB; this test process is far below 16 GB.
  CHECK(r["peak_rss_mb"].get<double>() > 5.0);
  CHECK(r["peak_rss_mb"].get<double>() < 16384.0);
}
