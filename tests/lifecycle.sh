#!/usr/bin/env bash
# where: host
# Every way a run can end leaves nothing behind: no UML or guest process,
# no temporary directory, and a non-zero status with a reason when the
# guest did not finish on its own.
set -u
fail() { echo "FAIL: $*"; exit 1; }

export TMPDIR
TMPDIR=$(mktemp -d)
trap 'rm -rf "$TMPDIR"' EXIT
leftovers() {
	local left
	left=$(ls -A "$TMPDIR")
	[ -z "$left" ] || fail "$1 left files behind: $left"
	pgrep -f "uml_dir=$TMPDIR/" >/dev/null && fail "$1 left UML processes running"
	return 0
}

# A guest kernel panic.
err=$(./run.sh -- sh -c 'echo c > /proc/sysrq-trigger; sleep 5' 2>&1 >/dev/null)
rc=$?
[ "$rc" -ne 0 ] || fail "a guest panic exited 0"
echo "$err" | grep -q 'panicked' || fail "no reason given for the panic: $err"
leftovers "a panic"

# run.sh killed (SIGTERM), and Ctrl-C (SIGINT to its whole process group),
# while the guest runs. A background job of a script starts with SIGINT
# ignored: env restores it, setsid gives the run a group of its own.
for sig in TERM INT; do
	setsid env --default-signal=INT ./run.sh -- sleep 30 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	if [ "$sig" = INT ]; then
		kill -INT -- "-$pid"
	else
		kill -TERM "$pid"
	fi
	wait "$pid"
	rc=$?
	[ "$rc" -ne 0 ] || fail "run.sh exited 0 after SIG$sig"
	leftovers "SIG$sig to run.sh"
done

# The UML process itself killed.
./run.sh -- sleep 30 >/dev/null 2>"$TMPDIR.err" &
pid=$!
sleep 0.5
pkill -KILL -f "uml_dir=$TMPDIR/" || fail "no UML process found"
wait "$pid"
rc=$?
[ "$rc" -ne 0 ] || fail "a killed UML exited 0"
grep -q 'killed by SIGKILL' "$TMPDIR.err" || fail "no reason given for the kill: $(cat "$TMPDIR.err")"
rm -f "$TMPDIR.err"
leftovers "SIGKILL to UML"
# run.sh killed outright: it cannot clean up, but UML must not outlive it
# (it gets SIGTERM as its parent dies). The run's directory stays behind,
# unlocked, and the next run sweeps it away, but not a live run's.
./run.sh -- sleep 30 >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -KILL "$pid"
wait "$pid" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	pgrep -f "uml_dir=$TMPDIR/" >/dev/null || break
	sleep 0.1
done
pgrep -f "uml_dir=$TMPDIR/" >/dev/null && fail "UML outlived a SIGKILL of run.sh"
dead=$(ls -d "$TMPDIR"/umlab.*) || fail "the killed run left no directory to sweep"
./run.sh -- sh -c 'sleep 5' >/dev/null 2>&1 &
live=$!
sleep 0.5
./run.sh -- true || fail "a run after the killed one failed"
[ ! -e "$dead" ] || fail "the next run did not sweep $dead away"
[ "$(find "$TMPDIR" -maxdepth 1 -name "umlab.*" | wc -l)" -eq 1 ] || fail "the sweep took a live run's directory"
wait "$live" || fail "the live run failed (its directory was swept?)"
leftovers "SIGKILL to run.sh, then the next run"
echo "lifecycle ok"
