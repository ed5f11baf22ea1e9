#!/usr/bin/env bash
# where: host
# timeout: 120
# Every way a run can end leaves nothing behind: no UML or guest process,
# no temporary directory, and a non-zero status with a reason when the
# guest did not finish on its own. The cases run at the same time, each
# with a TMPDIR of its own, and report in order.
set -u

base=$(mktemp -d "${TMPDIR:-/dev/shm}/umlab-lifecycle.XXXXXX")
mkdir -p build
go=$(mktemp -u build/lifecycle-go.XXXXXX)
trap 'rm -rf "$base" "$go"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
leftovers() {
	local left
	left=$(ls -A "$TMPDIR")
	[ -z "$left" ] || fail "$1 left files behind: $left"
	pgrep -f "uml_dir=$TMPDIR/" >/dev/null && fail "$1 left UML processes running"
	echo "ok: $1"
}
# ready FILE: wait until the guest has printed "ready" into FILE (at most
# a minute: the debug kernel boots in seconds, five at once here)
ready() {
	for _ in $(seq 1200); do
		grep -q '^ready' "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "the guest never got ready: $(cat "$1")"
}
guest_sleeps='echo ready; exec sleep 30'

# A guest kernel panic.
panic() {
	local err rc
	err=$(./run.sh -- sh -c 'echo c > /proc/sysrq-trigger; sleep 5' 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -ne 0 ] || fail "a guest panic exited 0"
	echo "$err" | grep -q 'panicked' || fail "no reason given for the panic: $err"
	leftovers "a panic"
}

# run.sh killed (SIGTERM), and Ctrl-C (SIGINT to its whole process group),
# while the guest runs. A background job of a script starts with SIGINT
# ignored: env restores it, setsid gives the run a group of its own.
signalled() {
	local sig=$1 pid rc
	setsid env --default-signal=INT ./run.sh -- sh -c "$guest_sleeps" >"$TMPDIR.out" 2>&1 &
	pid=$!
	ready "$TMPDIR.out"
	if [ "$sig" = INT ]; then
		kill -INT -- "-$pid"
	else
		kill -TERM "$pid"
	fi
	wait "$pid"
	rc=$?
	rm -f "$TMPDIR.out"
	[ "$rc" -ne 0 ] || fail "run.sh exited 0 after SIG$sig"
	leftovers "SIG$sig to run.sh"
}

# The UML process itself killed.
uml_killed() {
	local pid rc
	./run.sh -- sh -c "$guest_sleeps" >"$TMPDIR.out" 2>"$TMPDIR.err" &
	pid=$!
	ready "$TMPDIR.out"
	pkill -KILL -f "uml_dir=$TMPDIR/" || fail "no UML process found"
	wait "$pid"
	rc=$?
	[ "$rc" -ne 0 ] || fail "a killed UML exited 0"
	grep -q 'killed by SIGKILL' "$TMPDIR.err" || fail "no reason given for the kill: $(cat "$TMPDIR.err")"
	rm -f "$TMPDIR.out" "$TMPDIR.err"
	leftovers "SIGKILL to UML"
}

# run.sh killed outright: it cannot clean up, but UML must not outlive it
# (it gets SIGTERM as its parent dies). The run's directory stays behind,
# unlocked, and the next run sweeps it away, but not a live run's.
runsh_killed() {
	local pid live dead
	./run.sh -- sh -c "$guest_sleeps" >"$TMPDIR.out" 2>&1 &
	pid=$!
	ready "$TMPDIR.out"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	for _ in $(seq 40); do
		pgrep -f "uml_dir=$TMPDIR/" >/dev/null || break
		sleep 0.05
	done
	pgrep -f "uml_dir=$TMPDIR/" >/dev/null && fail "UML outlived a SIGKILL of run.sh"
	dead=$(ls -d "$TMPDIR"/umlab.*) || fail "the killed run left no directory to sweep"
	# a live run, until a file appears in the project (hostfs keeps no
	# dentries: every test looks on the host)
	./run.sh -- sh -c "echo ready; while [ ! -e /lab/$go ]; do sleep 0.05; done" \
		>"$TMPDIR.out" 2>&1 &
	live=$!
	ready "$TMPDIR.out"
	./run.sh -- true || fail "a run after the killed one failed"
	[ ! -e "$dead" ] || fail "the next run did not sweep $dead away"
	[ "$(find "$TMPDIR" -maxdepth 1 -name "umlab.*" | wc -l)" -eq 1 ] ||
		fail "the sweep took a live run's directory"
	touch "$go"
	wait "$live" || fail "the live run failed (its directory was swept?)"
	rm -f "$TMPDIR.out"
	leftovers "SIGKILL to run.sh, then the next run"
}

cases=(panic "signalled TERM" "signalled INT" uml_killed runsh_killed)
pids=()
for i in "${!cases[@]}"; do
	mkdir "$base/$i"
	# shellcheck disable=SC2086 # a case and its arguments
	(export TMPDIR=$base/$i && ${cases[i]}) >"$base/$i.log" 2>&1 &
	pids+=($!)
done
failed=0
for i in "${!cases[@]}"; do
	wait "${pids[i]}" || failed=1
	cat "$base/$i.log"
done
[ "$failed" -eq 0 ] || exit 1
echo "lifecycle ok"
