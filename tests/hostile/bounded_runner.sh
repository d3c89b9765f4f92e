#!/usr/bin/env bash
# bounded_runner.sh IPCLAB TREE MIB: checks the hostile fill-in TREE of
# chapter 01 with the checker (and so the trusted test runner) limited to
# MIB MiB of address space (RLIMIT_AS): however much the calls write at the
# runner, it must keep within that and still give its verdict (score 0, the
# channel tampered with). A first run outside the limit compiles the module.
set -euo pipefail
ipclab=$1 tree=$2 mib=$3
"$ipclab" check 01-pipes --exercises "$tree" --json >/dev/null || true
rc=0
report=$(prlimit --as=$((mib << 20)) -- "$ipclab" check 01-pipes --exercises "$tree" --json) || rc=$?
fail() { echo "FAIL: $*"; echo "$report"; exit 1; }
[ "$rc" -eq 1 ] || fail "exit $rc under a $mib MiB limit (1 expected: tests failed)"
# The report's top-level score comes before the tests' (nlohmann sorts keys).
[ "$(grep -o '"score":[0-9.]*' <<<"$report" | head -1)" = '"score":0' ] || fail "the hostile fill-in scored"
grep -q "result channel was tampered with" <<<"$report" || fail "no test says the channel was tampered with"
echo "ok: the runner gave its verdict within $mib MiB of address space"
