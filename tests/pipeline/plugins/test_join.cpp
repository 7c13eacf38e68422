// test_join: fails a frame unless every node named in `expect` already put
// its metadata on it (proves joins wait for all predecessors).
#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

class Join : public np::plugin::Node {
 public:
  explicit Join(const np::plugin::Params& p) : expect_(p.get<std::vector<std::string>>("expect")) {}
  void process(np::Frame& frame, np::plugin::Context& ctx) override {
    nlohmann::json seen = nlohmann::json::array();
    for (const auto& name : expect_) {
      if (!frame.get(name))
        throw np::Error("frame " + std::to_string(frame.origin().index) + " lacks '" + name + "'");
      seen.push_back(name);
    }
    auto joined = std::make_shared<np::JsonMetadata>();
    joined->kind_name = "joined";
    joined->value = seen;
    frame.put(ctx.node_name(), joined);
  }

 private:
  std::vector<std::string> expect_;
};

NEUROPIPE_PLUGIN(Join, {.name = "test_join",
                        .version = "1.0.0",
                        .description = "checks upstream marks",
                        .params = {np::plugin::param::text_list("expect", {}, "node names to expect")},
                        .reads = {"mark"},
                        .writes = {"joined"},
                        .concurrent = true});
