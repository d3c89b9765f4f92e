#!/bin/bash
# `ipclab watch`: checks at start, checks again after an editor-style save
# (write a temporary file, rename it over the fill-in), stops with exit 0 on
# SIGINT. Usage: watch.sh IPCLAB WORK EXERCISES
set -u
ipclab=$1 work=$2 exercises=$3
rm -rf "$work" && mkdir -p "$work/ex" || exit 1
cp -r "$exercises/01-pipes" "$work/ex/"
watcher=
fail() { echo "FAIL: $*"; cat "$work/out"; [ -n "$watcher" ] && kill "$watcher"; wait; rm -rf "$work"; exit 1; }
# wait_for COUNT TEXT: until TEXT appears COUNT times in the output (60 s at most)
wait_for() {
  for _ in $(seq 600); do
    [ "$(grep -c -- "$2" "$work/out")" -ge "$1" ] && return 0
    kill -0 "$watcher" 2>/dev/null || fail "ipclab watch ended early"
    sleep 0.1
  done
  fail "no '$2' (x$1) in the output within 60 s"
}

IPCLAB_STATE_DIR="$work/state" "$ipclab" watch pipes --exercises "$work/ex" >"$work/out" 2>&1 &
watcher=$!
wait_for 1 "^Watching"
grep -q "score 0/" "$work/out" || fail "the first check must show the score"
fill_in="$work/ex/01-pipes/pipes.cpp"
{ cat "$fill_in"; echo "// edited"; } >"$fill_in.tmp" && mv "$fill_in.tmp" "$fill_in"
wait_for 2 "^Watching"
[ "$(grep -c "ipclab watch: checking 01-pipes" "$work/out")" -eq 2 ] || fail "one save must cause one check"
kill -INT "$watcher"
wait "$watcher"
rc=$?
watcher=
[ "$rc" -eq 0 ] || fail "Ctrl-C must end watch with exit 0, got $rc"
[ -e "$work/state/state.json" ] && fail "a watch of --exercises must not record progress"
rm -rf "$work"
echo "watch: checked at start and after a save, stopped cleanly"
