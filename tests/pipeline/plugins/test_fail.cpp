// test_fail: throws on frames whose index is listed in `fail_on`, or on every
// frame from `fail_from` on (failure policies are tested with it).
#include <algorithm>

#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

class Fail : public np::plugin::Node {
 public:
  explicit Fail(const np::plugin::Params& p)
      : fail_on_(p.get<std::vector<std::string>>("fail_on")), fail_from_(p.get<int>("fail_from")) {}
  void process(np::Frame& frame, np::plugin::Context& ctx) override {
    const auto index = frame.origin().index;
    const bool listed = std::find(fail_on_.begin(), fail_on_.end(), std::to_string(index)) != fail_on_.end();
    if (listed || (fail_from_ >= 0 && index >= fail_from_))
      throw np::Error("deliberate failure on frame " + std::to_string(index));
    auto ok = std::make_shared<np::JsonMetadata>();
    ok->kind_name = "checked";
    ok->value = true;
    frame.put(ctx.node_name(), ok);
  }

 private:
  std::vector<std::string> fail_on_;
  int fail_from_;
};

NEUROPIPE_PLUGIN(Fail, {.name = "test_fail",
                        .version = "1.0.0",
                        .description = "fails chosen frames",
                        .params = {np::plugin::param::text_list("fail_on", {}, "frame indices that fail"),
                                   np::plugin::param::integer("fail_from", -1, "fail every frame from here")},
                        .writes = {"checked"},
                        .concurrent = true});
