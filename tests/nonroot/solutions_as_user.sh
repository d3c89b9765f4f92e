#!/usr/bin/env bash
# solutions_as_user.sh IPCLAB REFUSE KIT WORK MODE: an ordinary user (nobody,
# when the test runs as root; else whoever runs it) checks every chapter's
# solution, and each must score full marks:
#   namespaces  the user may make namespaces (the usual desktop): the calls
#               run without capabilities, so XSI permissions hold for them;
#   refused     the kernel refuses namespaces (a seccomp filter, as under
#               Docker) and 100 processes of that user already run: limits
#               count only the calls' own processes, and the fallback signals
#               none of the 100 (each must still be alive afterwards).
# The user's compiled fill-ins go to WORK/cache (IPCLAB_CACHE_DIR): the
# build folder is not theirs.
set -euo pipefail
ipclab=$1 refuse=$2 kit=$3 work=$4 mode=$5
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
fi
rm -rf "$work"
mkdir -p "$work/cache"
[ ${#as_user[@]} -eq 0 ] || chown nobody:nogroup "$work/cache"

sleepers=()
cleanup() {
  for pid in "${sleepers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${sleepers[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

run=("${as_user[@]}" env IPCLAB_CACHE_DIR="$work/cache" HOME="$work/cache")
if [ "$mode" = refused ]; then
  for _ in $(seq 100); do
    "${as_user[@]}" sleep 3600 &
    sleepers+=($!)
  done
  run=("$refuse" namespaces "${run[@]}")
  if "${run[@]}" unshare --user --pid --ipc --mount true 2>/dev/null; then
    echo "FAIL: namespaces were not refused"; exit 1
  fi
fi

rc=0
report=$("${run[@]}" "$ipclab" check all --exercises "$kit/solutions" --json 2>"$work/stderr") || rc=$?
cat "$work/stderr"
fail() { echo "FAIL: $*"; exit 1; }
chapters=0
while read -r line; do
  [ -n "$line" ] || continue
  chapters=$((chapters + 1))
  # The report's top-level keys come first (nlohmann sorts keys; "tests" is last).
  name=$(grep -o '"chapter":"[^"]*"' <<<"$line" | head -1 | cut -d'"' -f4)
  score=$(grep -o '"score":[0-9.]*' <<<"$line" | head -1 | cut -d: -f2)
  max=$(grep -o '"max_score":[0-9.]*' <<<"$line" | head -1 | cut -d: -f2)
  echo "$name: $score/$max"
  if [ "$score" != "$max" ]; then
    grep -o '"output":"[^"]*","score":0' <<<"$line" || true
    fail "$name lost marks as $("${as_user[@]}" id -un)"
  fi
done <<<"$report"
[ "$chapters" -gt 0 ] || fail "no report (exit $rc)"
[ "$rc" -eq 0 ] || fail "ipclab check exited $rc"
dead=0
for pid in "${sleepers[@]}"; do kill -0 "$pid" 2>/dev/null || dead=$((dead + 1)); done
[ "$dead" -eq 0 ] || fail "$dead of the user's ${#sleepers[@]} other processes were killed"
echo "ok: $chapters chapters at full marks as an ordinary user ($mode)${sleepers[*]:+, its 100 other processes all alive}"
