#!/usr/bin/env bash
# Command 1 of the README: set up, build, fetch the default pipeline's models
# and run it on a sample video. Prints the run summary and where the outputs are.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${NEUROPIPE_BUILD_DIR:-$ROOT/build}"
PIPELINE="$ROOT/pipelines/default.yaml"
OUT_DIR="$ROOT/out"
CLI="$BUILD_DIR/apps/neuropipe"

"$ROOT/tools/setup.sh"
media="$("$ROOT/tools/sample-media.sh")"
input="$media/video/opencv_vtest.avi"

# The models a pipeline uses are the `model:` parameters of its nodes.
mapfile -t models < <(sed -n 's/^[[:space:]]*model:[[:space:]]*["'\'']\{0,1\}\([^"'\''#[:space:]]*\).*/\1/p' "$PIPELINE")
if ((${#models[@]} > 0)); then
  "$CLI" models fetch "${models[@]}"
fi

mkdir -p "$OUT_DIR"
"$CLI" run "$PIPELINE" --input "$input" --output "$OUT_DIR/default.mp4"

echo
echo "Input:    $input"
echo "Outputs:  $OUT_DIR/default.mp4 (annotated video)"
echo "          $OUT_DIR/default.mp4.jsonl (one JSON line of results per frame)"
