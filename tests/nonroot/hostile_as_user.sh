#!/usr/bin/env bash
# hostile_as_user.sh IPCLAB TREE REGEX WORK: an ordinary user (nobody, when
# run as root) checks the hostile chapter-01 fill-in TREE: it must score 0
# and some test's output must match REGEX. As an ordinary user there is no
# memory cgroup, so the checker's own supervision is all that stops a call.
# With REFUSE (tests/nonroot/refuse), the kernel refuses namespaces (the
# fallback) and another process of the same user, which the checker did not
# start, runs beside it: it must still be alive afterwards.
set -euo pipefail
ipclab=$1 tree=$2 regex=$3 work=$4 refuse=${5:-}
as_user=()
rm -rf "$work"
mkdir -p "$work/cache"
if [ "$(id -u)" -eq 0 ]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
  chown nobody:nogroup "$work/cache"
fi
sibling=
cleanup() {
  [ -z "$sibling" ] || { kill "$sibling" 2>/dev/null || true; wait "$sibling" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
run=("${as_user[@]}")
if [ -n "$refuse" ]; then
  "${as_user[@]}" sleep 3600 &
  sibling=$!
  run=("$refuse" namespaces "${as_user[@]}")
fi
rc=0
report=$("${run[@]}" env IPCLAB_CACHE_DIR="$work/cache" HOME="$work/cache" \
         "$ipclab" check 01-pipes --exercises "$tree" --json) || rc=$?
fail() { echo "FAIL: $*"; echo "$report"; exit 1; }
[ "$rc" -eq 1 ] || fail "exit $rc (1 expected: tests failed)"
# The report's top-level score comes before the tests' (nlohmann sorts keys).
[ "$(grep -o '"score":[0-9.]*' <<<"$report" | head -1)" = '"score":0' ] || fail "the hostile fill-in scored"
grep -Eq "$regex" <<<"$report" || fail "no test output says /$regex/"
if [ -n "$sibling" ]; then
  kill -0 "$sibling" 2>/dev/null || fail "a process of the user that the checker did not start was killed"
fi
echo "ok: $(basename "$tree") scored 0 as an ordinary user, and was told /$regex/"
