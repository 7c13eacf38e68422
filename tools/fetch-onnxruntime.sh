#!/usr/bin/env bash
# Fetches ONNX Runtime's prebuilt CPU library (npm package onnxruntime-node)
# and its C headers (npm package com.github.asus4.onnxruntime) into the
# NeuroPipe cache. ONNX Runtime is a peer for benchmarks and the oracle for
# parity tests; it is never committed and never linked into libneuropipe.
#
#   tools/fetch-onnxruntime.sh            # -> $CACHE/peers/onnxruntime-1.30.0/{lib,include}
#   NEUROPIPE_ORT_DIR=/path tools/...     # use/put it elsewhere
#
# Works from the npm registry or a local npm mirror/cache (npm's own config).
set -euo pipefail

ort_version=1.30.0
headers_version=0.4.9   # ships onnxruntime_c_api.h with ORT_API_VERSION 29 (<= 1.30's)
cache="${NEUROPIPE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/neuropipe}"
dest="${NEUROPIPE_ORT_DIR:-$cache/peers/onnxruntime-$ort_version}"

if [[ -f "$dest/lib/libonnxruntime.so.1" && -f "$dest/include/onnxruntime_c_api.h" ]]; then
  echo "onnxruntime $ort_version: present in $dest"
  exit 0
fi
command -v npm >/dev/null || { echo "error: npm is needed to fetch ONNX Runtime (apt-get install npm)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$work" && npm pack --silent "onnxruntime-node@$ort_version" "com.github.asus4.onnxruntime@$headers_version" >/dev/null )

tar xzf "$work/onnxruntime-node-$ort_version.tgz" -C "$work" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
hdr_dir='package/Plugins/iOS~/onnxruntime.xcframework/ios-arm64_x86_64-simulator/onnxruntime.framework/Headers'
tar xzf "$work/com.github.asus4.onnxruntime-$headers_version.tgz" -C "$work" --wildcards "$hdr_dir/*"

staging="$dest.partial.$$"
rm -rf "$staging"
mkdir -p "$staging/lib" "$staging/include"
cp "$work/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$staging/lib/"
ln -s libonnxruntime.so.1 "$staging/lib/libonnxruntime.so"
cp "$work/$hdr_dir"/*.h "$staging/include/"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$staging" "$dest"   # publish atomically: a half-fetched copy never looks complete
echo "onnxruntime $ort_version: fetched into $dest"
