#!/usr/bin/env bash
# interrupt.sh IPCLAB KIT WORK check|grade SIGNAL: SIGNAL (INT as ^C, or
# TERM) to `ipclab check` or `ipclab grade` while a chapter's test binary
# runs (on a fill-in whose calls never end) leaves no process of it behind,
# nor the run's memory cgroup.
# ipclab runs in a session of its own: whatever it started stays in it.
set -euo pipefail
ipclab=$1 kit=$2 work=$3 command=$4 signal=$5
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
endless=$kit/tests/hostile/endless-loop
if [ "$command" = check ]; then
  args=(check 01-pipes --exercises "$endless")
else
  args=(grade "$endless" --out "$work/out" --chapters 01-pipes -j 1)
fi
setsid "$ipclab" "${args[@]}" >"$work/log" 2>&1 &
pid=$!
session() { ps -eo sid=,pid=,comm= | awk -v s="$pid" '$1 == s && $2 != s {print $2 " " $3}'; }
# Wait (bounded) until the chapter's test binary runs.
for _ in $(seq 600); do
  session | grep test-pipes >/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; fail "ipclab ended before its tests ran"; }
  sleep 0.1
done
session | grep test-pipes >/dev/null || fail "the test binary never started"
echo "running before SIG$signal:"; session
pids=$(session | awk '$2 == "test-pipes" {print $1}')
kill -"$signal" "$pid"
set +e; wait "$pid"; rc=$?; set -e
echo "ipclab ended with status $rc"
# SIGKILLed already; give the kernel a moment to tear the processes down.
for _ in $(seq 30); do
  [ -z "$(session)" ] && break
  sleep 0.1
done
left=$(session)
[ -z "$left" ] || { echo "$left"; fail "processes outlived ipclab $command"; }
# Nor the run's memory cgroup (grader/harness memory_cap: ipclab-<pid>).
for p in $pids; do
  cgroup=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "ipclab-$p" 2>/dev/null || true)
  [ -z "$cgroup" ] || fail "the run's cgroup outlived ipclab $command: $cgroup"
done
echo "ok: nothing of ipclab $command outlived SIG$signal"
