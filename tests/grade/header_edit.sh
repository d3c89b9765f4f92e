#!/usr/bin/env bash
# header_edit.sh IPCLAB KIT WORK: a fill-in's own header is part of what it
# is compiled from: after breaking helper.hpp, `check` compiles again and
# exits 3 (did not compile) instead of reusing the old module.
set -euo pipefail
ipclab=$1 kit=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"; mkdir -p "$work/tree"
trap 'rm -rf "$work"' EXIT
cp -r "$kit/solutions/01-pipes" "$work/tree/"
echo 'inline int helper_value() { return 0; }' > "$work/tree/01-pipes/helper.hpp"
sed -i '1i #include "helper.hpp"' "$work/tree/01-pipes/pipes.cpp"
check() { set +e; "$ipclab" check 01-pipes --exercises "$work/tree" --json >/dev/null; rc=$?; set -e; }
check
[ "$rc" -eq 0 ] || fail "the solution with a helper header exited $rc"
echo 'this is not C++' >> "$work/tree/01-pipes/helper.hpp"
check
[ "$rc" -eq 3 ] || fail "after breaking helper.hpp, check exited $rc, not 3"
echo "ok: a header edit is compiled"
