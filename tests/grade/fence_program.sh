#!/usr/bin/env bash
# fence_program.sh FENCE SUPPORT_LIB CASE WORK: the fence's own guarantees
# (grader/fence/policy.hpp), each CASE one invariant:
#   failed-mount        a mount the policy asks for fails: refused, the step
#                       named, the target never ran
#   view-without-ns     a policy that hides folders without a mount namespace
#                       is refused
#   drops-privileges    with a user: exactly that uid and gid, no groups, no
#                       capabilities, no_new_privs (root only: 77 otherwise)
#   not-in-modules      support/ (linked into student modules) holds no
#                       fence code
set -euo pipefail
fence=$1 support=$2 case=$3 work=$4
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
marker=$work/target-ran
refused() {  # refused PATTERN POLICY...: the fence refuses, naming PATTERN
  local pattern=$1; shift
  set +e
  err=$("$fence" "$@" -- sh -c "touch '$marker'" 2>&1 >/dev/null)
  rc=$?
  set -e
  echo "exit $rc: $err"
  [ "$rc" -eq 125 ] || fail "expected exit 125 (refused), got $rc"
  grep -q "ipclab-fence: refused: .*$pattern" <<<"$err" || fail "the refusal does not name: $pattern"
  [ ! -e "$marker" ] || fail "the target ran although the fence was refused"
}
case $case in
  failed-mount)
    # A scratch folder that cannot be mounted over (it does not exist).
    refused "mount a private tmpfs on $work/no-such-folder" \
      --ns mount,ipc --scratch "$work/no-such-folder"
    refused "open kept $work/gone" --ns mount,ipc --scratch /tmp --keep "$work/gone"
    # The same policy with a folder that exists runs the target.
    mkdir "$work/scratch"
    "$fence" --ns mount,ipc --scratch "$work/scratch" -- sh -c "touch '$marker'" ||
      fail "the fence refused a policy it can apply (namespaces unavailable?)"
    [ -e "$marker" ] || fail "the target did not run"
    echo "ok: a failed mount refuses, naming it; a good one runs the target" ;;
  view-without-ns)
    refused "asks for no mount namespace" --hide /etc
    refused "PID namespace comes only with" --ns mount,pid --scratch /tmp
    echo "ok: an incoherent policy is refused" ;;
  drops-privileges)
    [ "$(id -u)" -eq 0 ] || { echo "not root: skipped"; exit 77; }
    status=$("$fence" --user 1234567:7654321 -- cat /proc/self/status)
    echo "$status" | grep -E '^(Uid|Gid|Groups|CapEff|CapPrm|NoNewPrivs):'
    grep -qP '^Uid:\t1234567\t1234567\t1234567\t1234567$' <<<"$status" || fail "uid"
    grep -qP '^Gid:\t7654321\t7654321\t7654321\t7654321$' <<<"$status" || fail "gid"
    grep -qP '^Groups:\s*$' <<<"$status" || fail "supplementary groups kept"
    grep -qP '^CapEff:\t0+$' <<<"$status" || fail "capabilities kept"
    grep -qP '^NoNewPrivs:\t1$' <<<"$status" || fail "no_new_privs not set"
    echo "ok: the target runs as the policy's user with nothing more" ;;
  not-in-modules)
    symbols=$(nm -C "$support" | grep -E ' [TW] ' || true)
    if grep -E 'unshare_as_self|apply_path_view|fence::' <<<"$symbols"; then
      fail "support/ (linked into every student module) holds fence code"
    fi
    echo "ok: no fence code in $support" ;;
  *) fail "unknown case $case" ;;
esac
