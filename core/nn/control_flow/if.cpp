// If: runs then_branch or else_branch (planned subgraphs that read outer
// values by name) and hands their outputs on without a copy.
#include "nn/graph.hpp"
#include "nn/kernel.hpp"

namespace neuropipe::nn {

namespace {

class If final : public Kernel {
 public:
  explicit If(const KernelBuildContext& b) {
    then_ = b.subgraph("then_branch");
    else_ = b.subgraph("else_branch");
    if (!then_ || !else_) b.fail("needs both then_branch and else_branch");
    for (const Graph* g : {then_, else_}) {
      if (g->outputs.size() != b.num_outputs())
        b.fail("branch '" + g->name + "' has " + std::to_string(g->outputs.size()) + " outputs, the node " +
               std::to_string(b.num_outputs()));
      if (!g->inputs.empty()) b.fail("branch '" + g->name + "' must not declare inputs");
    }
  }

  void run(KernelContext& ctx) const override {
    const Tensor* cond = ctx.input(0);
    if (!cond || cond->numel() != 1 || cond->dtype() != DType::boolean)
      ctx.fail("cond must be a single bool, got " + (cond ? shape_to_string(cond->shape()) : std::string("nothing")));
    const Graph& branch = cond->data<bool>()[0] ? *then_ : *else_;
    std::vector<Tensor> outs = ctx.run_subgraph(branch, {});
    for (size_t i = 0; i < outs.size(); ++i) ctx.output_alias(i, outs[i]);
  }

 private:
  const Graph* then_ = nullptr;
  const Graph* else_ = nullptr;
};

}  // namespace

NP_REGISTER_KERNEL("If", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<If>(b); });

}  // namespace neuropipe::nn
