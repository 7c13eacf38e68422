// Writes small synthetic models (the unit tests' shapes of trouble) into the
// folder given as argv[1], as the fuzzer's seed corpus.
#include <fstream>
#include <iostream>

#include "model_builder.hpp"

using neuropipe::test::ModelBuilder;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: nn_fuzz_seeds OUTPUT_DIR\n";
    return 2;
  }
  std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  auto write = [&](const std::string& name, const ModelBuilder& m) {
    std::ofstream(dir / (name + ".onnx"), std::ios::binary) << m.bytes();
  };
  write("add_raw", neuropipe::test::add_model(true));
  write("add_typed", neuropipe::test::add_model(false));

  ModelBuilder chain;
  chain.input("x", onnx::TensorProto::FLOAT, {-1, 3}, {"N", ""});
  chain.initializer("s", {1}, {2.f});
  chain.node("Identity", {"x"}, {"i"});
  chain.node("Shape", {"i"}, {"shape"});
  chain.node("Mul", {"i", "s"}, {"m"});
  chain.node("Relu", {"m"}, {"r"});
  chain.node("Reshape", {"r", "shape"}, {"y"});
  chain.output("y", onnx::TensorProto::FLOAT, {-1, 3});
  write("shape_chain", chain);

  ModelBuilder cond;
  cond.input("c", onnx::TensorProto::BOOL, {});
  cond.input("x", onnx::TensorProto::FLOAT, {3});
  auto& node = cond.node("If", {"c"}, {"y"});
  for (const char* attr : {"then_branch", "else_branch"}) {
    auto* a = node.add_attribute();
    a->set_name(attr);
    a->set_type(onnx::AttributeProto::GRAPH);
    auto* g = a->mutable_g();
    g->set_name(attr);
    auto* n = g->add_node();
    n->set_op_type("Neg");
    n->add_input("x");
    n->add_output(std::string(attr) + "_y");
    g->add_output()->set_name(std::string(attr) + "_y");
  }
  cond.output("y", onnx::TensorProto::FLOAT, {3});
  write("if_capture", cond);
  std::cout << "wrote 4 seeds to " << dir << "\n";
  return 0;
}
