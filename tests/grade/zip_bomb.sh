#!/usr/bin/env bash
# zip_bomb.sh IPCLAB WORK: a small zip of a 200 MiB file of zeros (made
# from a sparse file: nothing big is written to make it) is refused from
# its own listing, before anything is unpacked; the grade says so.
set -euo pipefail
ipclab=$1 work=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"; mkdir -p "$work/pack"
trap 'rm -rf "$work"' EXIT
truncate -s 200M "$work/pack/zeros.cpp"
(cd "$work/pack" && cmake -E tar cf "$work/bomb.zip" --format=zip zeros.cpp)
rm "$work/pack/zeros.cpp"
size=$(stat -c %s "$work/bomb.zip")
echo "bomb.zip: $size bytes, 200 MiB unpacked"
[ "$size" -lt 1048576 ] || fail "the bomb is not small"
rc=0
"$ipclab" grade "$work/bomb.zip" --out "$work/out" --chapters 01-pipes --fence=best -j 1 || rc=$?
[ "$rc" -eq 1 ] || fail "grade must exit 1 when a submission could not be unpacked (exit $rc)"
results=$work/out/bomb/results.json
grep -q "by its own listing): nothing was unpacked" "$results" ||
  { cat "$results"; fail "the bomb was not refused from its listing"; }
grep -q '"score": 0' "$results" || fail "the bomb scored"
echo "ok: refused before unpacking"
