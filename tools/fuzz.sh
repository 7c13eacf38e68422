#!/bin/sh
# Fuzz the ONNX model loader (tests/fuzz/model_loader_fuzz.cpp) with libFuzzer.
#
#   tools/fuzz.sh [SECONDS]        default 300
#
# Needs clang-14 and libclang-rt-14-dev:
#   apt-get install -y --no-install-recommends clang-14 libclang-rt-14-dev
# The whole library is built with ASan+UBSan and coverage instrumentation
# (fuzzer-no-link) in build-fuzz/, so the fuzzer sees inside the engine.
# Seeds: small synthetic models (tests/fuzz/seed_corpus.cpp) plus a few ONNX
# node-test models from Debian's libonnx-testdata. Crashes land in
# build-fuzz/findings/ (crash-*, leak-*, oom-*); reproduce one with
#   build-fuzz/tests/fuzz/model_loader_fuzz build-fuzz/findings/crash-...
set -eu
seconds=${1:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNEUROPIPE_SANITIZE=ON -DNEUROPIPE_BUILD_FUZZERS=ON -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link
cmake --build "$build" --target model_loader_fuzz nn_fuzz_seeds -j"$(nproc)"
corpus=$build/corpus
mkdir -p "$corpus" "$build/findings"
"$build/tests/fuzz/nn_fuzz_seeds" "$corpus"
for t in test_relu test_conv_with_strides_padding test_if test_reshape_extended_dims test_constant \
         test_gather_0 test_cast_FLOAT_to_FLOAT16 test_nonzero_example; do
  src=/usr/share/libonnx-testdata/data/node/$t/model.onnx
  [ -f "$src" ] && cp "$src" "$corpus/$t.onnx"
done
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  "$build/tests/fuzz/model_loader_fuzz" "$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 \
  -max_len=65536 -artifact_prefix="$build/findings/" -print_final_stats=1
