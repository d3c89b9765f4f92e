#!/usr/bin/env bash
# machine_state.sh save|compare FILE: what a test run could leave on the
# machine (XSI IPC objects, /dev/shm and /tmp entries, POSIX message queues, sandbox processes,
# memory cgroups),
# saved before the suite and compared after it.
set -euo pipefail
mode=$1 file=$2
state() {
  for kind in msg sem shm; do
    tail -n +2 /proc/sysvipc/$kind | awk -v k=$kind '{print "ipc " k " id " $2}'
  done
  find /dev/shm /tmp -mindepth 1 -maxdepth 1 -printf 'file %p\n' 2>/dev/null
  # POSIX message queues (mqueue(7)): /dev/mqueue, or where it is not
  # mounted, a mount of the same file system private to one process.
  if mountpoint -q /dev/mqueue 2>/dev/null; then
    find /dev/mqueue -mindepth 1 -printf 'mqueue /%f\n'
  else
    unshare --mount --propagation private sh -c \
      'mount -t mqueue mqueue /mnt && find /mnt -mindepth 1 -printf "mqueue /%f\n"' 2>/dev/null || true
  fi
  # Calls run as users numbered from 1000000000 (see grader/harness isolation).
  ps -eo uid=,pid=,comm= | awk '$1 >= 1000000000 {print "process " $2 " " $3 " (uid " $1 ")"}'
  # Each call's memory cgroup (grader/harness memory_cap) is removed after it.
  find /sys/fs/cgroup -mindepth 1 -type d -name 'ipclab-*' -printf 'cgroup %p\n' 2>/dev/null || true
}
case $mode in
  save) state | sort > "$file" ;;
  compare)
    new=$(comm -13 "$file" <(state | sort) || true)
    if [ -n "$new" ]; then
      echo "the test suite left these behind:"; echo "$new"; exit 1
    fi
    echo "machine clean: no new IPC object, /tmp, /dev/shm or /dev/mqueue entry, sandbox process or cgroup" ;;
esac
