#!/usr/bin/env bash
# grade_as_user.sh IPCLAB REFUSE KIT WORK MODE: an ordinary user (nobody,
# when run as root; else whoever runs it) grades a small class with
# `ipclab grade`, end to end: the kit's solution must score full marks and
# the pristine fill-in zero, and afterwards nothing of the grading is left
# (no process, XSI object, /tmp or /dev/shm entry of that user's that was
# not there before; another process of the user, which grading did not
# start, still alive).
#   namespaces  the user may make namespaces: grade's default, strict fence;
#   refused     the kernel refuses them (a seccomp filter, as under Docker):
#               --fence best grades without, and says so.
set -euo pipefail
ipclab=$1 refuse=$2 kit=$3 work=$4 mode=$5
chapters=01-pipes,05-xsi-sem
as_user=()
[ "$(id -u)" -ne 0 ] || as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
uid=$("${as_user[@]}" id -u)
rm -rf "$work"
mkdir -p "$work/class" "$work/cache"
cp -r "$kit/solutions" "$work/class/solution"
cp -r "$kit/exercises" "$work/class/pristine"
[ ${#as_user[@]} -eq 0 ] || chown -R nobody:nogroup "$work"

sibling=
cleanup() {
  [ -z "$sibling" ] || { kill "$sibling" 2>/dev/null || true; wait "$sibling" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
"${as_user[@]}" sleep 3600 &
sibling=$!

# What the user has on the machine: processes, XSI objects, scratch entries.
state() {
  ps -u "$uid" -o pid=,comm= | awk '{print "process " $1 " " $2}'
  for kind in msg sem shm; do
    awk -v k=$kind -v u="$uid" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "uid") c = i; next }
                                $c == u { print "ipc " k " " $2 }' /proc/sysvipc/$kind
  done
  find /tmp /dev/shm -mindepth 1 -maxdepth 1 -uid "$uid" -printf 'file %p\n' 2>/dev/null || true
}
before=$(state | sort)

run=("${as_user[@]}" env IPCLAB_CACHE_DIR="$work/cache" HOME="$work/cache")
fence=()
if [ "$mode" = refused ]; then
  run=("$refuse" namespaces "${run[@]}")
  fence=(--fence best)
  if "${run[@]}" unshare --user --pid --ipc --mount true 2>/dev/null; then
    echo "FAIL: namespaces were not refused"; exit 1
  fi
fi
fail() { echo "FAIL: $*"; exit 1; }
rc=0
log=$("${run[@]}" "$ipclab" grade "$work/class/solution" "$work/class/pristine" --out "$work/out" \
      --chapters "$chapters" -j 1 "${fence[@]}" 2>&1) || rc=$?
echo "$log"
[ "$rc" -eq 0 ] || fail "ipclab grade exited $rc"
csv=$(cat "$work/out/grades.csv")
echo "$csv"
# percent and status by the header's column names
percent() {
  awk -F, -v who="$1" 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "percent") p = i; if ($i == "status") s = i }; next }
                       $1 == who { print $p "," $s }' <<<"$csv"
}
[ "$(percent solution)" = "100.0,graded" ] || fail "the solution lost marks as $("${as_user[@]}" id -un) ($mode)"
[ "$(percent pristine)" = "0.0,graded" ] || fail "the pristine fill-in scored as $("${as_user[@]}" id -un) ($mode)"
if [ "$mode" = refused ]; then
  grep -q "^fence: weaker" "$work/out/summary.txt" || fail "summary.txt hides the weaker fence"
fi
kill -0 "$sibling" 2>/dev/null || fail "grading killed a process of the user that it did not start"
left=$(comm -13 <(echo "$before") <(state | sort) || true)
[ -z "$left" ] || { echo "$left"; fail "grading left these behind"; }
echo "ok: as an ordinary user ($mode) the solution scored full marks, the fill-in 0, and nothing was left"
