// NEUROPIPE_ISA: the engine's kernels follow the requested ISA, and a bad value
// fails with a message naming the variable. ctest also runs the "[dispatch]"
// case under NEUROPIPE_ISA=scalar and =avx2 (see CMakeLists.txt), so the
// environment path itself is exercised, not only choose_isa().
#include <catch2/catch.hpp>

#include <cstdlib>

#include "neuropipe/error.hpp"
#include "nn/kernels/gemm_micro_kernel.hpp"
#include "nn/kernels/vector_math.hpp"

using namespace neuropipe::nn::kernels;

TEST_CASE("choose_isa: empty means the fastest, names pick that ISA, unknown names throw", "[dispatch]") {
  const Isa fastest = supported_isas().back();
  CHECK(choose_isa(nullptr) == fastest);
  CHECK(choose_isa("") == fastest);
  for (Isa isa : supported_isas()) CHECK(choose_isa(isa_name(isa)) == isa);
  CHECK_THROWS_WITH(choose_isa("sse9"), Catch::Contains("NEUROPIPE_ISA=sse9") && Catch::Contains("unknown"));
}

TEST_CASE("the engine's GEMM and vector math use the ISA NEUROPIPE_ISA asks for", "[dispatch]") {
  const char* requested = std::getenv("NEUROPIPE_ISA");
  INFO("NEUROPIPE_ISA=" << (requested ? requested : "(unset)"));
  Isa wanted;
  try {
    wanted = choose_isa(requested);
  } catch (const neuropipe::Error&) {  // a CPU without the forced ISA: the engine must refuse it too
    CHECK_THROWS_AS(best_isa(), neuropipe::Error);
    return;
  }
  CHECK(best_isa() == wanted);
  CHECK(best_gemm_micro_kernel().isa == wanted);
  CHECK(best_vector_math().isa == wanted);
}
