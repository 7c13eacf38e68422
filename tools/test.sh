#!/usr/bin/env bash
# Command 2 of the README: the default test suite from a fresh checkout.
# Makes sure the Debian packages are there, configures and builds build/,
# exports the CI tier of the torchvision architectures (parity references),
# then runs every test not labelled `slow`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${NEUROPIPE_BUILD_DIR:-$ROOT/build}"

"$ROOT/tools/setup.sh" --packages-only
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR"
EXPORTS="${NEUROPIPE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/neuropipe}/exports"
/usr/bin/python3.11 "$ROOT/tools/export/export_models.py" --set ci fasterrcnn_mobilenet_v3_large_320_fpn
/usr/bin/python3.11 "$ROOT/tools/export/cyclegan.py" --out "$EXPORTS/cyclegan"
/usr/bin/python3.11 "$ROOT/tools/export/pix2pix.py" --out "$EXPORTS/pix2pix"
/usr/bin/python3.11 "$ROOT/tools/export/colorization.py" --out "$EXPORTS/colorization"
/usr/bin/python3.11 "$ROOT/tools/export/fasterrcnn_zoo_layout.py"
# A real state_dict for the offline `neuropipe models fetch` test of an export-only model.
/usr/bin/python3.11 "$ROOT/tools/export/export_models.py" squeezenet1_1 --save-weights "$EXPORTS/squeezenet1_1.pth"
/usr/bin/python3.11 "$ROOT/tools/export/caption.py" --out "$EXPORTS/caption"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 -LE slow
