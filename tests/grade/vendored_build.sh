#!/usr/bin/env bash
# The kit builds with the system's Catch2, toml++, fmt and nlohmann-json
# invisible to CMake, from the header-only copies a Gradescope bundle
# carries (vendor-headers), and its tests then grade the reference solution
# full marks.
#   vendored_build.sh <kit source> <scratch folder>
set -euo pipefail
root=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
"$root/grader/gradescope/vendor-headers" "$work/vendor"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
hidden=()
for package in Catch2 tomlplusplus fmt nlohmann_json; do
  hidden+=("-DCMAKE_DISABLE_FIND_PACKAGE_$package=ON")
done
cmake -S "$root" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "${hidden[@]}" \
  -DIPCLAB_VENDOR="$work/vendor" -DIPCLAB_CHAPTERS=01-pipes > "$work/configure.log"
for package in "Catch2 2.13" "tomlplusplus 3" "fmt 9" "nlohmann_json 3.11"; do
  grep -q "$package: the header-only copy in $work/vendor" "$work/configure.log" ||
    { cat "$work/configure.log"; echo "the vendored $package was not used" >&2; exit 1; }
done
nice cmake --build "$work/build" --target ipclab test-pipes > "$work/build.log" ||
  { tail -50 "$work/build.log"; exit 1; }
out=$("$work/build/grader/cli/ipclab" check pipes --exercises "$root/solutions" --json || true)
# The chapter's own score and max_score come before its "tests".
head=${out%%\"tests\"*}
score=$(grep -o '"score": *[0-9]*' <<<"$head" | grep -o '[0-9]*$' || true)
max=$(grep -o '"max_score": *[0-9]*' <<<"$head" | grep -o '[0-9]*$' || true)
[ -n "$max" ] && [ "$max" -gt 0 ] && [ "$score" = "$max" ] ||
  { echo "$out"; echo "the solution must score full marks with the vendored libraries" >&2; exit 1; }
echo "built with the vendored Catch2, toml++, fmt and nlohmann-json: the solution scores $score/$max"
