#!/usr/bin/env bash
# classmate.sh IPCLAB KIT WORK: graded alone, from a folder outside /tmp
# (WORK, in the build folder), a submission that #includes a classmate's
# file by absolute path, and one that #includes the kit's solution, both
# score 0: the compiler sees only the system, the kit's headers and its
# own staged copy. The classmate's own file, graded, keeps full marks.
set -euo pipefail
ipclab=$1 kit=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
# A kit cloned under /tmp (as CI may) puts WORK there too: work beside it.
case $work in /tmp/*) work=$(mktemp -d /var/tmp/ipclab-classmate.XXXXXX) ;; esac
rm -rf "$work"; mkdir -p "$work/class/ada/01-pipes" "$work/class/bob/01-pipes" "$work/class/cy/01-pipes"
trap 'rm -rf "$work"' EXIT
cp "$kit/solutions/01-pipes/pipes.cpp" "$work/class/ada/01-pipes/"
echo "#include \"$work/class/ada/01-pipes/pipes.cpp\"" > "$work/class/bob/01-pipes/pipes.cpp"
echo "#include \"$kit/solutions/01-pipes/pipes.cpp\"" > "$work/class/cy/01-pipes/pipes.cpp"
"$ipclab" grade "$work/class/bob" "$work/class/cy" --out "$work/out" --chapters 01-pipes -j 1
csv=$(cat "$work/out/grades.csv")
echo "$csv"
for who in bob cy; do
  grep -q "^$who,$who,0," <<<"$csv" || fail "$who scored by including a file it must not read"
  grep -q "No such file or directory" "$work/out/$who/results.json" ||
    fail "$who: the include did not fail as a missing file"
done
"$ipclab" grade "$work/class/ada" --out "$work/out-ada" --chapters 01-pipes -j 1
max=$(awk -F, '$1 == "ada" {print $5}' "$work/out-ada/grades.csv")
grep -q "^ada,ada,$max,$max,$max,100.0," "$work/out-ada/grades.csv" || fail "the classmate's own file lost marks"
echo "ok: neither a classmate's file nor the solution can be included"
