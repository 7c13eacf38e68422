#include <catch2/catch.hpp>

#include "bench_suite.hpp"
#include "cpu_info.hpp"
#include "fma_peak.hpp"

using namespace neuropipe;

TEST_CASE("each FMA burst counts two FLOPs per lane per chain per round", "[bench][peak]") {
  __builtin_cpu_init();
  CHECK(bench::fma_burst_scalar(1000) == 1000.0 * 8 * 2);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    CHECK(bench::fma_burst_avx2(1000) == 1000.0 * 12 * 8 * 2);
  if (__builtin_cpu_supports("avx512f")) CHECK(bench::fma_burst_avx512(1000) == 1000.0 * 12 * 16 * 2);
}

TEST_CASE("the measured fp32 peak is a plausible figure for one x86 core", "[bench][peak]") {
  const bench::CpuInfo cpu = bench::detect_cpu();
  // Between a scalar core at 1 GHz (2 FLOP/cycle) and two 512-bit FMA pipes at 6 GHz (384).
  CHECK(cpu.peak_gflops_per_core > 2.0);
  CHECK(cpu.peak_gflops_per_core < 384.0);
  CHECK(cpu.peak_gflops(2) == Approx(2 * cpu.peak_gflops_per_core));
  CHECK(cpu.model.find("GFLOP/s per core measured") != std::string::npos);
}

TEST_CASE("conv efficiency divides the Conv FLOPs by the Conv nodes' profiled time", "[bench][peak]") {
  bench::FlopCount flops;
  flops.by_op = {{"Conv", 4e9}, {"Gemm", 1e9}};
  nlohmann::json r = {{"profile", {{"ops", {{{"op_type", "Relu"}, {"ms_per_run", 1.0}},
                                            {{"op_type", "Conv"}, {"ms_per_run", 40.0}}}}}}};
  bench::add_conv_efficiency(r, flops, 2, 400.0);
  CHECK(r["conv_gflops"].get<double>() == Approx(200.0));  // 8 GFLOP in 40 ms
  CHECK(r["conv_peak_fraction"].get<double>() == Approx(0.5));

  nlohmann::json unprofiled = {{"median_ms", 3.0}};
  bench::add_conv_efficiency(unprofiled, flops, 1, 400.0);
  CHECK_FALSE(unprofiled.contains("conv_gflops"));
}
