// The scheduler: fan-out and joins, order at the sinks, the in-flight bound,
// failure policies, batching across streams, the live clock, node instances
// lent to several runs (NodeSet) and the Prometheus text of a summary.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "neuropipe/pipeline/prometheus.hpp"
#include "pipeline_fixtures.hpp"

using namespace neuropipe;
using namespace neuropipe::pipeline;

namespace {

std::vector<int64_t> indices_of(const std::vector<test::Captured::Item>& items, int stream = -1) {
  std::vector<int64_t> out;
  for (const auto& item : items)
    if (stream < 0 || item.stream_id == stream) out.push_back(item.index);
  return out;
}

std::vector<int64_t> iota_to(int64_t n) {
  std::vector<int64_t> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

const NodeStats& node_stats(const RunSummary& s, const std::string& name) {
  for (const auto& n : s.nodes)
    if (n.name == name) return n;
  FAIL("no stats for node " << name);
  return s.nodes.front();
}

}  // namespace

TEST_CASE("parallel branches both finish before the join runs", "[pipeline][runtime]") {
  const auto summary = test::run_yaml(R"(sources: [{uri: "synthetic://40"}]
nodes:
  - {name: left, plugin: test_mark}
  - {name: slow, plugin: test_sleep, params: {min_ms: 0, max_ms: 4}}
  - {name: right, plugin: test_mark, after: [slow]}
  - {name: join, plugin: test_join, after: [left, right], params: {expect: [left, right, slow]}}
sinks: [{kind: jsonl, path: "capture://join"}]
)");
  CHECK(summary.outcome == Outcome::completed);
  CHECK(summary.frames == 40);
  CHECK(node_stats(summary, "join").errors == 0);
  CHECK(node_stats(summary, "join").calls == 40);
  const auto items = test::captured("join")->snapshot();
  REQUIRE(items.size() == 40);
  for (const auto& item : items) CHECK(item.metadata["join"] == nlohmann::json({"left", "right", "slow"}));
  CHECK(test::captured("join")->closed);
}

TEST_CASE("sinks see frames in order although a concurrent node finishes them out of order",
          "[pipeline][runtime]") {
  const auto summary = test::run_yaml(R"(settings: {max_in_flight: 8}
sources: [{uri: "synthetic://60"}]
nodes:
  - {name: jitter, plugin: test_sleep, params: {min_ms: 0, max_ms: 15}}
  - {name: order, plugin: test_ordered, after: [jitter]}
sinks: [{kind: jsonl, path: "capture://order"}]
)");
  CHECK(summary.outcome == Outcome::completed);
  CHECK(indices_of(test::captured("order")->snapshot()) == iota_to(60));
  CHECK(node_stats(summary, "order").errors == 0);  // the ordered node got them in order too
  int peak = 0;
  for (const auto& item : test::captured("order")->snapshot())
    peak = std::max(peak, item.metadata["jitter"]["running"].get<int>());
  CHECK(peak > 1);  // the jitter node really ran frames concurrently
}

TEST_CASE("no more than max_in_flight frames are in the pipeline at once", "[pipeline][runtime]") {
  RunOptions options;
  options.max_in_flight = 3;
  const auto summary = test::run_yaml(R"(sources: [{uri: "synthetic://40"}]
nodes: [{name: probe, plugin: test_sleep, params: {min_ms: 2, max_ms: 6}}]
sinks: [{kind: jsonl, path: "capture://bound"}]
)",
                                      options);
  CHECK(summary.frames == 40);
  int peak = 0;
  for (const auto& item : test::captured("bound")->snapshot())
    peak = std::max(peak, item.metadata["probe"]["running"].get<int>());
  CHECK(peak <= 3);
  CHECK(peak >= 2);
}

TEST_CASE("failure policies", "[pipeline][runtime]") {
  SECTION("skip_frame drops only the failing frames") {
    const auto summary = test::run_yaml(R"(sources: [{uri: "synthetic://10"}]
nodes: [{name: flaky, plugin: test_fail, params: {fail_on: ["3", "7"]}}]
sinks: [{kind: jsonl, path: "capture://skip"}]
)");
    CHECK(summary.outcome == Outcome::completed);
    CHECK(node_stats(summary, "flaky").errors == 2);
    CHECK(summary.sources[0].frames_failed == 2);
    CHECK(indices_of(test::captured("skip")->snapshot()) == std::vector<int64_t>{0, 1, 2, 4, 5, 6, 8, 9});
  }
  SECTION("disable_node switches the node off after max_failures") {
    const auto summary = test::run_yaml(R"(settings:
  node_failure:
    flaky: {policy: disable_node, max_failures: 2}
sources: [{uri: "synthetic://12"}]
nodes: [{name: flaky, plugin: test_fail, params: {fail_from: 4}}]
sinks: [{kind: jsonl, path: "capture://disable"}]
)");
    CHECK(summary.outcome == Outcome::completed);
    const auto& flaky = node_stats(summary, "flaky");
    CHECK(flaky.disabled);
    CHECK(flaky.errors >= 2);
    const auto items = test::captured("disable")->snapshot();
    // frames 0..3 carry its result; the failed frames are gone; later ones pass untouched
    CHECK(items.size() == 12 - flaky.errors);
    CHECK(items.front().metadata.contains("flaky"));
    CHECK_FALSE(items.back().metadata.contains("flaky"));
  }
  SECTION("stop_pipeline fails the run, names the node and aborts the sinks") {
    const auto summary = test::run_yaml(R"(settings: {on_failure: stop_pipeline}
sources: [{uri: "synthetic://500"}]
nodes: [{name: flaky, plugin: test_fail, params: {fail_on: ["5"]}}]
sinks: [{kind: jsonl, path: "capture://stop"}]
)");
    CHECK(summary.outcome == Outcome::failed);
    CHECK_THAT(summary.error, Catch::Contains("flaky") && Catch::Contains("frame 5"));
    CHECK(summary.sources[0].frames_read < 500);
    CHECK(test::captured("stop")->aborted);
    CHECK_FALSE(test::captured("stop")->closed);
  }
}

TEST_CASE("a batched node gets frames of two streams together", "[pipeline][runtime]") {
  const auto summary = test::run_yaml(R"(sources:
  - {name: a, uri: "synthetic://30:5", clock: offline}
  - {name: b, uri: "synthetic://30:5", clock: offline}
nodes:
  - {name: batch, plugin: test_batch, batch_size: 4, batch_timeout_ms: 30}
sinks: [{kind: jsonl, path: "capture://batch"}]
)");
  CHECK(summary.outcome == Outcome::completed);
  CHECK(summary.frames == 60);
  const auto items = test::captured("batch")->snapshot();
  CHECK(indices_of(items, 0) == iota_to(30));
  CHECK(indices_of(items, 1) == iota_to(30));
  size_t largest = 0, most_streams = 0;
  for (const auto& item : items) {
    largest = std::max(largest, item.metadata["batch"]["size"].get<size_t>());
    most_streams = std::max(most_streams, item.metadata["batch"]["streams"].get<size_t>());
  }
  CHECK(largest > 1);
  CHECK(most_streams == 2);
  CHECK(node_stats(summary, "batch").max_batch == largest);
}

TEST_CASE("the live clock drops stale frames and keeps latency bounded", "[pipeline][runtime]") {
  RunOptions options;
  options.max_in_flight = 1;
  const auto started = std::chrono::steady_clock::now();
  // 60 frames at 5 ms each (200 fps) into a node that needs 20 ms per frame
  const auto summary = test::run_yaml(R"(sources: [{name: cam, uri: "synthetic://60:5", clock: live}]
nodes: [{name: slow, plugin: test_sleep, params: {min_ms: 20, max_ms: 20}}]
sinks: [{kind: jsonl, path: "capture://live"}]
)",
                                      options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& cam = summary.sources[0];
  CHECK(cam.live);
  CHECK(cam.frames_read == 60);
  CHECK(cam.frames_dropped > 20);
  CHECK(cam.frames_written + cam.frames_dropped == 60);
  CHECK(cam.latency_max_ms < 200);  // at most one frame waiting + one in the node
  CHECK(seconds < 2.0);             // did not fall behind the source
  const auto indices = indices_of(test::captured("live")->snapshot());
  CHECK(std::is_sorted(indices.begin(), indices.end()));
  CHECK(indices.back() >= 55);  // the newest frames made it, not the first ones queued
}

TEST_CASE("a lost live stream is reconnected and counted", "[pipeline][runtime]") {
  const auto summary = test::run_yaml(R"(sources: [{name: cam, uri: "synthetic://20:2:8", clock: live}]
sinks: [{kind: jsonl, path: "capture://reconnect"}]
)");
  CHECK(summary.outcome == Outcome::completed);
  CHECK(summary.sources[0].reconnects == 1);
  CHECK(summary.sources[0].frames_read == 20);
}

TEST_CASE("request_stop finishes frames in flight and closes the sinks", "[pipeline][runtime]") {
  RunOptions options;
  options.media = test::test_media();
  Runner runner(test::validated(R"(sources: [{uri: "synthetic://100000:1"}]
nodes: [{name: n, plugin: test_mark}]
sinks: [{kind: jsonl, path: "capture://stop-request"}]
)"),
                test::test_catalog(), options);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    runner.request_stop();
  });
  const auto summary = runner.run();
  stopper.join();
  CHECK(summary.outcome == Outcome::stopped);
  CHECK(summary.frames > 10);
  CHECK(summary.frames < 100000);
  CHECK(test::captured("stop-request")->closed);
  CHECK(indices_of(test::captured("stop-request")->snapshot()) == iota_to(summary.frames));
}

TEST_CASE("a trace file records every node call", "[pipeline][runtime]") {
  const auto dir = std::filesystem::temp_directory_path() / "np-pipeline-trace.json";
  RunOptions options;
  options.trace_file = dir;
  test::run_yaml(R"(sources: [{uri: "synthetic://7"}]
nodes: [{name: a, plugin: test_mark}, {name: b, plugin: test_mark, after: [a]}]
sinks: [{kind: jsonl, path: "capture://trace"}]
)",
                 options);
  std::ifstream in(dir);
  const auto trace = nlohmann::json::parse(in);
  int node_calls = 0, sink_writes = 0;
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == "X") {
      const bool sink = e["name"].get<std::string>().rfind("sink ", 0) == 0;
      ++(sink ? sink_writes : node_calls);
      CHECK(e["dur"].get<int64_t>() >= 0);
      CHECK(e["args"].contains("frame"));
    }
  CHECK(node_calls == 14);  // 7 frames x 2 nodes
  CHECK(sink_writes == 7);
  std::filesystem::remove(dir);
}

TEST_CASE("runs borrow node instances from a NodeSet while plugin and parameters match",
          "[pipeline][runtime]") {
  const std::string yaml = R"(sources: [{uri: "synthetic://3"}]
nodes: [{name: counter, plugin: test_count}]
sinks: [{kind: jsonl, path: "capture://${sink}"}]
)";
  const auto first = test::validated(yaml, {{"sink", "lent1"}});
  NodeSet nodes(first, test::test_catalog());
  CHECK(nodes.size() == 1);
  auto instance_seen = [](const std::string& sink) {
    const auto items = test::captured(sink)->snapshot();
    REQUIRE(items.size() == 3);
    return items.front().metadata["counter"]["instance"].get<int>();
  };
  RunOptions lend;
  lend.media = test::test_media();
  lend.shared_nodes = &nodes;
  for (const std::string sink : {"lent1", "lent2"}) {
    Runner runner(test::validated(yaml, {{"sink", sink}}), test::test_catalog(), lend);
    CHECK(runner.run().outcome == Outcome::completed);
  }
  CHECK(instance_seen("lent1") == instance_seen("lent2"));  // one instance served both runs
  CHECK(nodes.find("counter", "test_count", nlohmann::json::object()) != nullptr);
  CHECK(nodes.find("counter", "test_count", {{"other", 1}}) == nullptr);  // other parameters: not lent
  CHECK(nodes.find("counter", "test_mark", nlohmann::json::object()) == nullptr);
  CHECK(nodes.find("nobody", "test_count", nlohmann::json::object()) == nullptr);

  test::run_yaml(yaml, {}, {{"sink", "own"}});  // no NodeSet: a new instance
  CHECK(instance_seen("own") > instance_seen("lent2"));
}

TEST_CASE("a run's counters in Prometheus text", "[pipeline][runtime]") {
  const auto summary = test::run_yaml(R"(sources: [{name: cam, uri: "synthetic://5"}]
nodes: [{name: marker, plugin: test_mark}]
sinks: [{kind: jsonl, path: "capture://prometheus"}]
)");
  REQUIRE(summary.outcome == Outcome::completed);
  const std::string text = prometheus_text(summary);
  CHECK_THAT(text, Catch::Contains("# TYPE neuropipe_frames_processed_total counter\n"
                                   "neuropipe_frames_processed_total{source=\"cam\"} 5\n"));
  CHECK_THAT(text, Catch::Contains("neuropipe_frames_read_total{source=\"cam\"} 5\n"));
  CHECK_THAT(text, Catch::Contains("neuropipe_queue_depth{source=\"cam\"} 0\n"));
  CHECK_THAT(text, Catch::Contains("neuropipe_node_calls_total{node=\"marker\"} 5\n"));
  CHECK_THAT(text, Catch::Contains("# TYPE neuropipe_node_latency_seconds summary\n"
                                   "neuropipe_node_latency_seconds{node=\"marker\",quantile=\"0.5\"} "));
  CHECK_THAT(text, Catch::Contains("neuropipe_node_latency_seconds_count{node=\"marker\"} 5\n"));
}
