#!/usr/bin/env bash
# where: host
# timeout: 300
# Stdin that is not a terminal reaches `./run.sh -- CMD` as a stream: the
# boot never waits for it (a pipe that never closes does not hang the
# run), CMD reads it as it comes and byte for byte, and its end is CMD's
# EOF. A file's offset is left where CMD stopped reading, so a loop that
# reads the same file runs once a line; -n leaves a pipe to the loop. A
# read error is said, in one line. Nothing of a run is left behind.
set -u
fail() { echo "FAIL: $*"; exit 1; }

# the runs' directories in a TMPDIR of this test's (on tmpfs, as UML
# wants), to find what they leave behind
work=$(mktemp -d "${TMPDIR:-/dev/shm}/umlab-run-stdin.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR" "$work/share"

# run.sh with a time limit: a hang is a failure, not the test's timeout
run() { timeout 30 ./run.sh "$@"; }

out=$(seq 100 | run -- wc -l)
[ "$out" = 100 ] || fail "seq 100 | run.sh -- wc -l printed '$out'"
echo "ok: seq 100 | run.sh -- wc -l: 100"

# Every byte as it was, Ctrl-C (which UML under gdb takes for itself) and
# the relay's escape byte included, in more than one chunk.
{ printf 'a\003b\020c\000d\377'; head -c 200000 /dev/urandom; } >"$work/bytes"
want=$(md5sum <"$work/bytes")
# shellcheck disable=SC2002 # a pipe, not a file
got=$(cat "$work/bytes" | run -- md5sum)
[ "$got" = "$want" ] || fail "200 kB through a pipe arrived as $got, not $want"
echo "ok: 200 kB of every byte value, through a pipe, intact"

# A pipe that never closes: CMD that reads one line ends, CMD that reads
# nothing ends, and neither waits for the pipe's end to boot.
mkfifo "$work/never"
exec {never}<>"$work/never"	# a writer that stays
echo first >&"$never"
out=$(run -- head -n 1 <"$work/never")
rc=$?
{ [ "$rc" -eq 0 ] && [ "$out" = first ]; } || fail "head -n 1 from a pipe that stays open: status $rc, '$out'"
out=$(run -- echo hello <"$work/never")
rc=$?
{ [ "$rc" -eq 0 ] && [ "$out" = hello ]; } || fail "echo with stdin a pipe that stays open: status $rc, '$out'"
exec {never}>&-
echo "ok: a pipe that never closes does not hold the run"

# As it comes: the guest answers the first line before the second exists.
# shellcheck disable=SC2016 # $a and $b are the guest's
{
	echo one
	for _ in $(seq 300); do [ -e "$work/share/seen" ] && break; sleep 0.1; done
	echo two
} | run --share "$work/share" -- sh -c 'read a; echo "got $a"; touch /share/share/seen; read b; echo "got $b"' >"$work/out"
rc=$?
{ [ "$rc" -eq 0 ] && [ "$(cat "$work/out")" = $'got one\ngot two' ]; } ||
	fail "streaming: status $rc, output '$(cat "$work/out")'"
echo "ok: the guest reads the input as it comes"

# Endless input, CMD that stops reading: the run ends.
out=$(yes | run -- head -n 2)
[ "$out" = $'y\ny' ] || fail "yes | run.sh -- head -n 2 printed '$out'"
echo "ok: yes | run.sh -- head -n 2 ends"

# Loops that read stdin themselves: a file's offset is left where the
# guest's command stopped reading; a pipe's data is read ahead, so -n.
printf 'a\nb\nc\n' >"$work/lines"
out=$(while read -r x; do run -- echo "got $x"; done <"$work/lines")
[ "$out" = $'got a\ngot b\ngot c' ] || fail "a loop over a file ran as '$out'"
# shellcheck disable=SC2016 # $y is the guest's
out=$(while read -r x; do run -- sh -c 'read y; echo "$0 $y"' "$x"; done <"$work/lines")
[ "$out" = $'a b\nc ' ] || fail "a loop over a file, the guest reading a line too, ran as '$out'"
out=$(printf 'a\nb\nc\n' | while read -r x; do run -n -- echo "got $x"; done)
[ "$out" = $'got a\ngot b\ngot c' ] || fail "a loop over a pipe with run.sh -n ran as '$out'"
echo "ok: loops over a file, and over a pipe with -n, run once a line"

# Commands from stdin, the shell's own.
out=$(printf 'echo one\necho two\n' | run)
[ "$out" = $'one\ntwo' ] || fail "commands from stdin printed '$out'"
# In time-travel mode (as guest tests boot) the input still comes.
out=$(seq 3000 | run --append time-travel=inf-cpu -- wc -l)
[ "$out" = 3000 ] || fail "time-travel: seq 3000 | run.sh -- wc -l printed '$out'"
echo "ok: commands from stdin; time-travel mode"

# A read error ends the input, and says so in one line.
# shellcheck disable=SC2016 # $? is the guest's
out=$(run -- sh -c 'cat; echo "cat: $?"' </ 2>"$work/err")
rc=$?
{ [ "$rc" -eq 0 ] && [ "$out" = "cat: 0" ]; } || fail "stdin a directory: status $rc, output '$out'"
{ [ "$(wc -l <"$work/err")" -eq 1 ] &&
	grep -q '^run.sh: reading stdin failed after 0 bytes (Is a directory)' "$work/err"; } ||
	fail "stdin a directory: the error said '$(cat "$work/err")'"
echo "ok: a read error: $(cat "$work/err")"

# Under gdb (isig: a Ctrl-C byte from a console stops UML) too.
if command -v gdb >/dev/null; then
	out=$(printf 'a\003b\020c' | GDB_ARGS='-batch -ex run' run --gdb -- od -An -c 2>&1)
	echo "$out" | tr -s ' ' | grep -qx ' a 003 b 020 c' || fail "under gdb, a Ctrl-C byte did not come as one: $out"
	echo "ok: under gdb, a Ctrl-C byte is data"
fi

sleep 0.2
pgrep -af -- "$TMPDIR/umlab\." && fail "processes of these runs are left"
left=$(ls -A "$TMPDIR")
[ -z "$left" ] || fail "these runs left files behind: $left"
echo "run-stdin ok"
