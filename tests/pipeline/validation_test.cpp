// Validation before the first frame: every error carries file:line:column,
// a message naming the thing at fault, and a hint.
#include <catch2/catch.hpp>

#include "pipeline_fixtures.hpp"

using namespace neuropipe;
using namespace neuropipe::pipeline;
using Catch::Contains;

namespace {

std::vector<Problem> problems_of(const std::string& yaml) {
  try {
    test::validated(yaml);
  } catch (const ValidationError& e) {
    return e.problems();
  }
  FAIL("the pipeline validated although it is invalid");
  return {};
}

Problem only_problem(const std::string& yaml) {
  const auto all = problems_of(yaml);
  REQUIRE(all.size() == 1);
  return all.front();
}

// A frame source, then the given nodes, then a capture sink.
std::string with_nodes(const std::string& nodes) {
  return "sources:\n  - uri: synthetic://3\nnodes:\n" + nodes +
         "sinks:\n  - kind: jsonl\n    path: capture://v\n";
}

}  // namespace

TEST_CASE("a valid pipeline yields its graph and checked parameters", "[pipeline][validation]") {
  const auto v = test::validated(
      with_nodes("  - {name: a, plugin: test_mark}\n  - {name: b, plugin: test_mark}\n"
                 "  - {name: j, plugin: test_join, after: [a, b], params: {expect: [a, b]}}\n"));
  REQUIRE(v.graph.nodes().size() == 3);
  CHECK(v.graph.nodes()[2].node_preds == std::vector<int>{0, 1});
  CHECK(v.graph.precedes(0, 2));
  CHECK_FALSE(v.graph.precedes(0, 1));
  CHECK(v.params[0].is_object());
  CHECK(v.params[2]["expect"] == nlohmann::json({"a", "b"}));
  CHECK_THAT(v.graph.to_dot(), Contains("\"node:a\" -> \"node:j\""));
  CHECK_THAT(v.graph.to_text(), Contains("j [test_join] <- a, b"));
}

TEST_CASE("an unknown plugin lists close names", "[pipeline][validation]") {
  const auto p = only_problem(with_nodes("  - name: inv\n    plugin: test_imgae\n"));
  CHECK(p.where.str() == "test.yaml:5:13");
  CHECK_THAT(p.message, Contains("node 'inv': unknown plugin 'test_imgae'"));
  CHECK_THAT(p.hint, Contains("did you mean 'test_image'"));
}

TEST_CASE("parameter errors point at the parameter's line", "[pipeline][validation]") {
  const auto unknown = only_problem(with_nodes("  - plugin: test_image\n    params:\n      levle: 3\n"));
  CHECK(unknown.where.str() == "test.yaml:6:7");
  CHECK_THAT(unknown.message, Contains("unknown parameter 'levle'"));
  CHECK_THAT(unknown.hint, Contains("plugins info test_image"));

  const auto mistyped =
      only_problem(with_nodes("  - plugin: test_image\n    params:\n      mode: full\n      level: high\n"));
  CHECK(mistyped.where.str() == "test.yaml:7:7");
  CHECK_THAT(mistyped.message, Contains("parameter 'level' must be an int"));

  const auto range = only_problem(with_nodes("  - plugin: test_image\n    params:\n      level: 300\n"));
  CHECK(range.where.str() == "test.yaml:6:7");
  CHECK_THAT(range.message, Contains("out of range [0, 255]"));

  const auto choice = only_problem(with_nodes("  - plugin: test_image\n    params:\n      mode: quarter\n"));
  CHECK_THAT(choice.message, Contains("is not one of: full, half"));
}

TEST_CASE("a missing dependency is named with close names", "[pipeline][validation]") {
  const auto p =
      only_problem(with_nodes("  - {name: blur, plugin: test_mark}\n  - name: tag\n    plugin: test_mark\n"
                              "    after: [blurr]\n"));
  CHECK(p.where.str() == "test.yaml:7:13");
  CHECK_THAT(p.message, Contains("node 'tag' waits for 'blurr', which is no node or source"));
  CHECK_THAT(p.hint, Contains("did you mean 'blur'"));
}

TEST_CASE("a cycle is reported with its nodes", "[pipeline][validation]") {
  const auto p =
      only_problem(with_nodes("  - name: a\n    plugin: test_mark\n    after: [c]\n"
                              "  - {name: b, plugin: test_mark, after: [a]}\n"
                              "  - {name: c, plugin: test_mark, after: [b]}\n"));
  CHECK(p.where.str() == "test.yaml:6:13");
  CHECK_THAT(p.message, Contains("cycle: a -> b -> c -> a"));
}

TEST_CASE("metadata a node needs must be written upstream", "[pipeline][validation]") {
  const auto p =
      only_problem(with_nodes("  - {name: tag, plugin: test_mark}\n  - name: boxes\n    plugin: test_reader\n"
                              "    after: [tag]\n"));
  CHECK(p.where.str() == "test.yaml:6:13");
  CHECK_THAT(p.message,
             Contains("node 'boxes' (plugin test_reader) reads 'detections' but no upstream node writes it"));
  CHECK_THAT(p.message, Contains("upstream: tag"));
  // "mask?" is optional and "detections?" of test_image too: no complaint about them.
  CHECK_NOTHROW(test::validated(with_nodes("  - plugin: test_image\n")));
}

TEST_CASE("two parallel nodes may not both write the image", "[pipeline][validation]") {
  const auto p =
      only_problem(with_nodes("  - {name: a, plugin: test_image}\n  - {name: b, plugin: test_image}\n"));
  CHECK(p.where.str() == "test.yaml:5:5");
  CHECK_THAT(p.message, Contains("nodes 'a' and 'b' both write 'image' and run in parallel"));
  CHECK_THAT(p.hint, Contains("after: [a]"));
  CHECK_NOTHROW(test::validated(
      with_nodes("  - {name: a, plugin: test_image}\n  - {name: b, plugin: test_image, after: [a]}\n")));
}

TEST_CASE("an unreadable source file is refused before the run", "[pipeline][validation]") {
  const auto p = only_problem(
      "sources:\n  - name: clip\n    uri: /no/such/clip.mp4\nsinks:\n  - {kind: jsonl, path: x.jsonl}\n");
  CHECK(p.where.str() == "test.yaml:3:10");
  CHECK_THAT(p.message, Contains("source 'clip' cannot be read: no such file or folder '/no/such/clip.mp4'"));
}

TEST_CASE("sink, batching and settings mistakes are reported together", "[pipeline][validation]") {
  const auto all = problems_of(R"(settings:
  node_failure:
    tagg: skip_frame
sources:
  - {name: a, uri: synthetic://3}
  - {name: b, uri: synthetic://3}
nodes:
  - {name: tag, plugin: test_mark, batch_size: 4}
  - {name: x, plugin: test_mark, source: c}
sinks:
  - {kind: mp4, path: o.mp4}
  - {kind: video, path: o.mp4}
  - {kind: jsonl}
)");
  REQUIRE(all.size() == 5);
  CHECK(all[0].where.line == 8);
  CHECK_THAT(all[0].message, Contains("batch_size 4 but plugin 'test_mark' has no process_batch"));
  CHECK(all[1].where.line == 9);
  CHECK_THAT(all[1].message, Contains("names source 'c', which does not exist"));
  CHECK(all[2].where.line == 3);
  CHECK_THAT(all[2].hint, Contains("did you mean 'tag'"));
  CHECK_THAT(all[3].message, Contains("unknown kind 'mp4'"));
  CHECK_THAT(all[4].message, Contains("sink 'jsonl' has no path"));
  // once names are fixed, a video sink fed by two sources must choose one
  const auto two = only_problem(R"(sources:
  - {name: a, uri: synthetic://3}
  - {name: b, uri: synthetic://3}
sinks:
  - {kind: video, path: o.mp4}
)");
  CHECK(two.where.line == 5);
  CHECK_THAT(two.message, Contains("would get frames from 2 sources"));
}
