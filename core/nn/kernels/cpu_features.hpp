#pragma once
// Which instruction sets the running CPU offers. Fast kernels are compiled per
// ISA (files *_avx2.cpp / *_avx512.cpp) and chosen here at run time, never by
// a build-machine-specific -march, so one binary runs everywhere and uses what it finds.
#include <vector>

namespace neuropipe::nn::kernels {

enum class Isa { scalar, avx2, avx512 };

const char* isa_name(Isa isa);
// True when this CPU can execute code compiled for `isa`.
bool cpu_supports(Isa isa);
// The fastest ISA the CPU supports (detected once).
Isa best_isa();
// Every ISA this CPU supports, slowest first (tests force each one).
std::vector<Isa> supported_isas();

}  // namespace neuropipe::nn::kernels
