#!/usr/bin/env bash
# Gradescope's setup step: runs once, as root, when the autograder image is
# built, with the bundle unpacked in /autograder/source. Installs the build
# dependencies and builds the kit's tests (never the solutions: the bundle
# has none). Images: Debian 12, Ubuntu 22.04 and 24.04: it installs only
# packages all three have (packages.txt without catch2 and
# libtomlplusplus-dev, whose headers the bundle carries in vendor/).
set -euo pipefail
source=${IPCLAB_AUTOGRADER_ROOT:-/autograder}/source
export DEBIAN_FRONTEND=noninteractive
apt-get update
# The kit's own list (packages.txt), and what unpacks submitted archives.
grep -v -x -e '#.*' -e catch2 -e libtomlplusplus-dev "$source/packages.txt" |
  xargs apt-get install -y --no-install-recommends tar gzip libarchive-tools
# Ubuntu 22.04's cmake (3.22) is older than the kit's minimum (3.25).
if dpkg --compare-versions "$(cmake --version | awk 'NR == 1 { print $3 }')" lt 3.25; then
  apt-get install -y --no-install-recommends python3-pip
  pip3 install 'cmake>=3.25' || pip3 install --break-system-packages 'cmake>=3.25'
  hash -r
fi
chapters=$(cat "$source/gradescope-chapters" 2>/dev/null || true)
[ "$chapters" = all ] && chapters=
cmake -S "$source" -B "$source/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIPCLAB_VENDOR="$source/vendor" \
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
