#!/usr/bin/env bash
# Gradescope's setup step: runs once, as root, when the autograder image is
# built, with the bundle unpacked in /autograder/source. Installs the build
# dependencies and builds the kit's tests (never the solutions: the bundle
# has none). Images: Debian 12, Ubuntu 22.04 and 24.04: it installs only
# packages all three have; the header-only libraries a release lacks or
# ships at another major version (toml++, fmt 8 and nlohmann-json 3.10 on
# 22.04, Catch2 3 on 24.04) come from the bundle's vendor/.
set -euo pipefail
source=${IPCLAB_AUTOGRADER_ROOT:-/autograder}/source
export DEBIAN_FRONTEND=noninteractive
apt-get update
# The compiler the kit is written with (g++ 12: Ubuntu 22.04's default is
# 11), the build tools (CMake 3.22 or later), what unpacks submitted
# archives, and the libraries at whatever version the release ships.
apt-get install -y --no-install-recommends g++-12 cmake ninja-build procps unzip tar gzip \
  libarchive-tools libcli11-dev libfmt-dev nlohmann-json3-dev
chapters=$(cat "$source/gradescope-chapters" 2>/dev/null || true)
[ "$chapters" = all ] && chapters=
cmake -S "$source" -B "$source/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=g++-12 \
  -DIPCLAB_VENDOR="$source/vendor" "-DIPCLAB_CHAPTERS=${chapters//,/;}"
cmake --build "$source/build"
chmod +x "$source/run_autograder"
# Hidden tests are compiled now, once, rather than for every submission.
# Only root may read them: without namespaces (Docker refuses them by
# default) the compiler and the test calls of a submission run as users of
# their own, who then cannot.
if [ -d "$source/hidden" ]; then
  chmod -R go-rwx "$source/hidden"
  scratch=$(mktemp -d)
  "$source/build/grader/cli/ipclab" grade "$source/exercises" --out "$scratch" \
    --chapters "${chapters:-all}" --hidden "$source/hidden" </dev/null
  rm -rf "$scratch"
fi
