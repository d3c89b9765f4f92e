#!/usr/bin/env bash
# signal_gap_as_user.sh IPCLAB REFUSE ROOT WORK: as an ordinary user (nobody,
# when run as root), where the kernel refuses namespaces, `check` states the
# weaker fence; where it also lacks Landlock's signal scope (an older kernel)
# the note must add that the checked code could signal any process of the
# user, and where the scope exists the note must not say so.
set -euo pipefail
ipclab=$1 refuse=$2 root=$3 work=$4
as_user=()
rm -rf "$work"
mkdir -p "$work/cache"
if [ "$(id -u)" -eq 0 ]; then
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
  chown nobody:nogroup "$work/cache"
fi
trap 'rm -rf "$work"' EXIT
gap="cannot keep a run's signals among its own processes"
check() {
  "$@" "${as_user[@]}" env IPCLAB_CACHE_DIR="$work/cache" HOME="$work/cache" \
    "$ipclab" check 01-pipes --exercises "$root/solutions" --test 1 2>&1 >/dev/null || true
}
old=$(check "$refuse" namespaces "$refuse" landlock)
grep -q "note: a weaker fence" <<<"$old" || { echo "FAIL: no weaker-fence note:"; echo "$old"; exit 1; }
grep -qF "$gap" <<<"$old" || { echo "FAIL: without Landlock the note does not say signals are unfenced:"; echo "$old"; exit 1; }
new=$(check "$refuse" namespaces)
# landlock_create_ruleset (444) with LANDLOCK_CREATE_RULESET_VERSION: the ABI.
abi=$(perl -e 'print syscall(444, 0, 0, 1)')
if [ "$abi" -ge 6 ] && grep -qF "$gap" <<<"$new"; then
  echo "FAIL: with Landlock's signal scope the note still says signals are unfenced:"; echo "$new"; exit 1
fi
echo "ok: the weaker fence's note says when signals are not confined"
