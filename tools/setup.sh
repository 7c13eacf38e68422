#!/usr/bin/env bash
# NeuroPipe set-up: Debian packages, sample media, configure + build.
# Idempotent: each step checks what is already there and does only the rest.
#
#   tools/setup.sh                  packages + sample media + build (into build/)
#   tools/setup.sh --packages-only  just make sure the Debian packages are installed
#   tools/setup.sh --no-build       packages + sample media
# Every mode also fetches the peers the tests and benchmarks compare against
# (ONNX Runtime from the npm registry, tools/fetch-onnxruntime.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${NEUROPIPE_BUILD_DIR:-$ROOT/build}"

# Everything the build, the tests and the export recipes need, all from Debian 12 main.
PACKAGES=(
  cmake ninja-build pkg-config g++ ccache
  libopencv-dev libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libavdevice-dev libx264-dev ffmpeg
  libtbb-dev libboost-dev libboost-filesystem-dev libboost-program-options-dev
  catch2 libyaml-cpp-dev libprotobuf-dev protobuf-compiler libonnx-dev libonnx-testdata
  nlohmann-json3-dev libspdlog-dev
  libcurl4-openssl-dev libssl-dev
  python3-torch python3-torchvision python3-onnx
)
# npm fetches ONNX Runtime (the benchmark peer and parity oracle); use the
# machine's own npm when it has one, else Debian's.
command -v npm >/dev/null || PACKAGES+=(npm)

log() { echo "setup: $*" >&2; }

missing_packages() {
  local pkg status
  for pkg in "${PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == installed ]] || echo "$pkg"
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    log "all ${#PACKAGES[@]} Debian packages are installed"
    return 0
  fi
  log "missing packages: ${missing[*]}"
  # --force-unsafe-io: skip dpkg's fsyncs (2 min instead of ~6 on a fresh machine).
  local apt=(apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "${missing[@]}")
  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      log "need root to install them; run:"
      echo "sudo apt-get update && sudo ${apt[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" "${apt[@]}"
}

build() {
  log "configuring and building in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build "$BUILD_DIR"
}

main() {
  local packages_only=0 no_build=0
  for arg in "$@"; do
    case "$arg" in
      --packages-only) packages_only=1 ;;
      --no-build) no_build=1 ;;
      -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}"; exit 0 ;;
      *) log "unknown option '$arg' (see --help)"; exit 2 ;;
    esac
  done
  install_packages
  "$ROOT/tools/fetch-onnxruntime.sh" >&2
  ((packages_only)) && return 0
  log "sample media in $("$ROOT/tools/sample-media.sh")"
  ((no_build)) || build
}

main "$@"
