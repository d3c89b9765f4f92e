#!/usr/bin/env bash
# fence_without_namespaces.sh IPCLAB KIT WORK: without the right to make
# namespaces (as in Docker), `grade` refuses (strict, its default), naming
# the step that failed. With --fence=weaker it grades a submission that
# #includes the hidden tests and one that #includes /etc/shadow: both must
# fail to compile with "Permission denied" (the compiler runs as a user of
# its own), the solution must still score full marks, grade must warn that
# the kit's solutions are readable, and every report must say the fence
# was weaker. Needs root (to drop CAP_SYS_ADMIN): skipped (77) otherwise.
set -euo pipefail
ipclab=$1 kit=$2 work=$3
[ "$(id -u)" -eq 0 ] || { echo "not root: skipped"; exit 77; }
rm -rf "$work"
mkdir -p "$work/hidden" "$work/peek-hidden/01-pipes" "$work/peek-shadow/01-pipes"
trap 'rm -rf "$work"' EXIT
cp -r "$kit/tests/grade/hidden/01-pipes" "$work/hidden/"
chmod -R go-rwx "$work/hidden"
cp -r "$kit/solutions" "$work/solution"
hidden_test=$(ls "$work"/hidden/01-pipes/*.cpp | head -1)
echo "#include \"$hidden_test\"" > "$work/peek-hidden/01-pipes/pipes.cpp"
echo '#include "/etc/shadow"' > "$work/peek-shadow/01-pipes/pipes.cpp"

fail() { echo "FAIL: $*"; exit 1; }
grade() {
  setpriv --bounding-set -sys_admin "$ipclab" grade "$work/solution" "$work/peek-hidden" \
    "$work/peek-shadow" --out "$work/out" --chapters 01-pipes --hidden "$work/hidden" -j 1 "$@" 2>&1
}
if strict=$(grade); then echo "$strict"; fail "grade ran without namespaces, unasked"; fi
echo "$strict"
grep -q "ipclab-fence: refused: make the namespaces" <<<"$strict" || fail "the refusal names no step"
[ ! -e "$work/out/solution/results.json" ] || fail "a strict grade graded without namespaces"
log=$(grade --fence=weaker)
echo "$log"
grep -q "no private mount namespace here" <<<"$log" || fail "grade did not warn that the fence is thin"
csv=$(cat "$work/out/grades.csv")
echo "$csv"
max=$(awk -F, '$1 == "solution" {print $5}' <<<"$csv")
[ -n "$max" ] && grep -qx "solution,solution,$max,$max,$max,100.0,$max,0,graded" <<<"$csv" ||
  fail "the solution lost marks"
grep -q "^fence: weaker" "$work/out/summary.txt" || fail "summary.txt does not say the fence was weaker"
for peek in solution peek-hidden peek-shadow; do
  grep -q '"fence": "weaker' "$work/out/$peek/results.json" || fail "$peek's results.json hides the weaker fence"
done
for peek in peek-hidden peek-shadow; do
  grep -qx "$peek,$peek,0,0,$max,0.0,0,0,graded" <<<"$csv" || fail "$peek scored"
  grep -q "Permission denied" "$work/out/$peek/results.json" || fail "$peek read what only root may"
done
echo "ok: without namespaces the compiler could read neither the hidden tests nor /etc/shadow"
