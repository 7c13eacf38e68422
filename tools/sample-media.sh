#!/usr/bin/env bash
# Prints the folder holding NeuroPipe's sample media (video/, image/), making
# it first if needed: ../shared/media beside the checkout when present, else
# the sample files are extracted from Debian's opencv-doc and python3-skimage
# packages into the cache. The packages are downloaded, never installed, and
# only the sample files are taken from them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED_MEDIA="${NEUROPIPE_SHARED_DIR:-$ROOT/../shared}/media"
CACHE="${NEUROPIPE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/neuropipe}"
MEDIA="$CACHE/media"

# target path (under the media folder) | package | path inside the package | sha256
SAMPLES=(
  "video/opencv_vtest.avi|opencv-doc|usr/share/doc/opencv-doc/examples/data/vtest.avi|45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf"
  "video/opencv_tree.avi|opencv-doc|usr/share/doc/opencv-doc/examples/data/tree.avi|4666099d0f704e310047b2f0a5ec9f936cb76a7271de9a2e70a0c57f82ac82dc"
  "image/opencv_messi5.jpg|opencv-doc|usr/share/doc/opencv-doc/examples/data/messi5.jpg|1d570e49654e84c7a943918537bd9e5e1ef82920152e147c834006e235be97c9"
  "image/opencv_fruits.jpg|opencv-doc|usr/share/doc/opencv-doc/examples/data/fruits.jpg|9c031d80a1c52da5eca790db896baffec6a7e52bf786cdb7bbfca5c7f880e6a1"
  "image/opencv_baboon.jpg|opencv-doc|usr/share/doc/opencv-doc/examples/data/baboon.jpg|1a1dd18d78eec44420af3b0b7f08ee3d41c982916cae3ce203d7ff35d754cc0f"
  "image/opencv_butterfly.jpg|opencv-doc|usr/share/doc/opencv-doc/examples/data/butterfly.jpg|34a99716b78ded10eae87b4880de739d3e68cc7dd1a96812bb28f469d5eeaea8"
  "image/opencv_building.jpg|opencv-doc|usr/share/doc/opencv-doc/examples/data/building.jpg|742a1baad62ac82e91e718e77eedf7e85c2eddc4badfb8c87c6cbc86c45a8b07"
  "image/skimage_astronaut.png|python3-skimage|usr/lib/python3/dist-packages/skimage/data/astronaut.png|88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"
  "image/skimage_chelsea.png|python3-skimage|usr/lib/python3/dist-packages/skimage/data/chelsea.png|596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb"
  "image/skimage_coffee.png|python3-skimage|usr/lib/python3/dist-packages/skimage/data/coffee.png|cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7"
  "image/skimage_camera.png|python3-skimage|usr/lib/python3/dist-packages/skimage/data/camera.png|b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a"
  "image/skimage_rocket.jpg|python3-skimage|usr/lib/python3/dist-packages/skimage/data/rocket.jpg|c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c"
)

log() { echo "sample-media: $*" >&2; }

verified() { [[ -f "$1" ]] && [[ "$(sha256sum "$1" | cut -d' ' -f1)" == "$2" ]]; }

# Downloads one package's .deb into a scratch folder (as the caller: apt's
# _apt user may not be able to write there) and prints its path.
download_deb() {
  local package="$1" scratch="$2"
  log "downloading the $package package (not installing it)"
  (cd "$scratch" && apt-get download -o APT::Sandbox::User="$(id -un)" "$package" >&2)
  local debs=("$scratch/${package}"_*.deb)
  echo "${debs[0]}"
}

# Extracts this package's missing samples in one pass over the .deb, then
# verifies each and moves it into place (so a file in $MEDIA is always complete).
extract_package() {
  local package="$1" scratch entry target pkg member sha
  local -a wanted=() members=()
  for entry in "${SAMPLES[@]}"; do
    IFS='|' read -r target pkg member sha <<<"$entry"
    [[ "$pkg" == "$package" ]] && ! verified "$MEDIA/$target" "$sha" && wanted+=("$entry") && members+=("./$member")
  done
  ((${#wanted[@]} == 0)) && return 0
  scratch="$(mktemp -d "$CACHE/.media-XXXXXX")"
  dpkg-deb --fsys-tarfile "$(download_deb "$package" "$scratch")" | tar -x -C "$scratch" "${members[@]}"
  for entry in "${wanted[@]}"; do
    IFS='|' read -r target pkg member sha <<<"$entry"
    if ! verified "$scratch/$member" "$sha"; then
      log "$member from $package does not have the expected sha256 $sha"
      exit 1
    fi
    mkdir -p "$(dirname "$MEDIA/$target")"
    mv "$scratch/$member" "$MEDIA/$target"
  done
  rm -rf "$scratch"
}

main() {
  if [[ -d "$SHARED_MEDIA/video" ]]; then
    (cd "$SHARED_MEDIA" && pwd)
    return 0
  fi
  mkdir -p "$CACHE"
  rm -rf "$CACHE"/.media-*  # scratch left by an interrupted run
  extract_package opencv-doc
  extract_package python3-skimage
  echo "$MEDIA"
}

main "$@"
