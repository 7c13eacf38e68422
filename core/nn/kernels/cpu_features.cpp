#include "nn/kernels/cpu_features.hpp"

#include <cstdlib>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::scalar:
      return "scalar";
    case Isa::avx2:
      return "avx2";
    case Isa::avx512:
      return "avx512";
  }
  return "?";
}

bool cpu_supports(Isa isa) {
  switch (isa) {
    case Isa::scalar:
      return true;
    case Isa::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::avx512:
      // The AVX-512 files are compiled with F/BW/VL/DQ, so all four must be present.
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("fma");
  }
  return false;
}

Isa choose_isa(const char* requested) {
  const Isa fastest = cpu_supports(Isa::avx512) ? Isa::avx512
                      : cpu_supports(Isa::avx2) ? Isa::avx2
                                                : Isa::scalar;
  if (!requested || !*requested) return fastest;
  for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512}) {
    if (std::string(requested) != isa_name(isa)) continue;
    if (!cpu_supports(isa))
      throw Error(std::string("NEUROPIPE_ISA=") + requested + ": this CPU does not support " + isa_name(isa));
    return isa;
  }
  throw Error(std::string("NEUROPIPE_ISA=") + requested + ": unknown ISA (expected scalar, avx2 or avx512)");
}

Isa best_isa() {
  static const Isa best = choose_isa(std::getenv("NEUROPIPE_ISA"));
  return best;
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::scalar, Isa::avx2, Isa::avx512})
    if (cpu_supports(isa)) out.push_back(isa);
  return out;
}

}  // namespace neuropipe::nn::kernels
