#pragma once
// Which instruction sets the running CPU offers. Fast kernels are compiled per
// ISA (files *_avx2.cpp / *_avx512.cpp) and chosen here at run time, never by
// a build-machine-specific -march, so one binary runs everywhere and uses what it finds.
#include <string>
#include <vector>

namespace neuropipe::nn::kernels {

enum class Isa { scalar, avx2, avx512 };

const char* isa_name(Isa isa);
// True when this CPU can execute code compiled for `isa`.
bool cpu_supports(Isa isa);
// The ISA the engine's kernels use (decided once): the fastest the CPU supports,
// or the one named by the environment variable NEUROPIPE_ISA (scalar | avx2 |
// avx512), which lets tests and benchmarks force a slower path. Throws
// neuropipe::Error when NEUROPIPE_ISA names an unknown ISA or one this CPU lacks.
Isa best_isa();
// The choice above for a given NEUROPIPE_ISA value (null or empty: the fastest).
Isa choose_isa(const char* requested);
// Every ISA this CPU supports, slowest first (tests force each one).
std::vector<Isa> supported_isas();

}  // namespace neuropipe::nn::kernels
