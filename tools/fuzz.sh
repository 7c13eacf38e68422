#!/bin/sh
# Fuzz the ONNX model loader (tests/fuzz/model_loader_fuzz.cpp) with libFuzzer.
#
#   tools/fuzz.sh [SECONDS]        default 300
#
# Needs clang-14 and libclang-rt-14-dev:
#   apt-get install -y --no-install-recommends clang-14 libclang-rt-14-dev
# Uses the `asan` preset's build (build-asan/: clang-14, ASan+UBSan, and
# coverage instrumentation (fuzzer-no-link) everywhere, so the fuzzer sees
# inside the engine; the same build runs the test suite under the sanitizers).
# Seeds: small synthetic models (tests/fuzz/seed_corpus.cpp) plus a few ONNX
# node-test models from Debian's libonnx-testdata. Crashes land in
# build-asan/findings/ (crash-*, leak-*, oom-*); reproduce one with
#   build-asan/tests/fuzz/model_loader_fuzz build-asan/findings/crash-...
set -eu
seconds=${1:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-asan
cd "$root"
cmake --preset asan
cmake --build --preset asan --target model_loader_fuzz nn_fuzz_seeds
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
