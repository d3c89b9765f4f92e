#!/usr/bin/env bash
# Gradescope's setup step: runs once, as root, when the autograder image is
# built, with the bundle unpacked in /autograder/source. Installs the build
# dependencies and builds the kit's tests (never the solutions: the bundle
# has none). The image should be Debian 12 (or Ubuntu with the same packages).
set -euo pipefail
source=${IPCLAB_AUTOGRADER_ROOT:-/autograder}/source
export DEBIAN_FRONTEND=noninteractive
apt-get update
# The kit's own list (packages.txt), and what unpacks submitted archives.
grep -v '^#' "$source/packages.txt" | xargs apt-get install -y --no-install-recommends \
  tar gzip libarchive-tools
chapters=$(cat "$source/gradescope-chapters" 2>/dev/null || true)
[ "$chapters" = all ] && chapters=
cmake -S "$source" -B "$source/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  "-DIPCLAB_CHAPTERS=${chapters//,/;}"
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
