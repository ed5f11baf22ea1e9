#!/usr/bin/env bash
# where: host
# timeout: 120
# A make test cancelled half-way leaves nothing: Ctrl-C at a terminal
# (tests/lib/pty.py), and TERM to make's process group (what a CI runner
# sends when a job is cancelled), while a guest test and a host test (with
# an instance of its own) run. Within 3 s of the signal no process of that
# run is left (UML, run.sh, timeout, the tests: every process that carries
# the run's token in its environment), no run directory, and make ends by
# the signal.
set -u
fail() { echo "FAIL: $*"; exit 1; }

base=$PWD/build/tests/cancel.$$
trap 'rm -rf "$base"' EXIT
mkdir -p "$base/tests"
# Two tests that would run for a minute: one in the guest, one on the
# host with its own instance. The host test says when both are under way.
cat >"$base/tests/long_guest.sh" <<'EOF'
# where: guest
# time-travel: no
echo guest-test-up
sleep 60
EOF
cat >"$base/tests/long_host.sh" <<'EOF'
# where: host
./run.sh -- sh -c 'echo guest-up; sleep 60' | while read -r line; do
	case $line in guest-up*) ;; *) continue ;; esac
	for _ in $(seq 300); do
		grep -qs guest-test-up "$UMLAB_LOG_DIR/long_guest.log" && break
		sleep 0.1
	done
	echo both-up >"$UMLAB_CANCEL_FLAG"
	{ echo both-up >/dev/tty; } 2>/dev/null
done
EOF

# leftovers N: what scenario N left after its signal, given 3 s to go
leftovers() {
	local n=$1 dir=$base/$1 procs=
	for _ in $(seq 30); do
		procs=$(grep -lsa "UMLAB_CANCEL_TOKEN=$n.$$" /proc/[0-9]*/environ |
			sed 's,^/proc/,,; s,/environ$,,' | tr '\n' ' ')
		[ -z "$procs" ] && [ -z "$(ls -A "$dir/tmp")" ] && return 0
		sleep 0.1
	done
	[ -z "$procs" ] || ps -o pid,pgid,args -p "${procs// /,}" 2>/dev/null
	ls -A "$dir/tmp"
	return 1
}
# labtest N: the environment of scenario N's make test (two jobs: its two
# tests run at once, whatever JOBS the suite has)
labtest() {
	mkdir -p "$base/$1/tmp"
	echo env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u T -u M \
		UMLAB_CANCEL_TOKEN="$1.$$" UMLAB_CANCEL_FLAG="$base/$1/flag" \
		TMPDIR="$base/$1/tmp" UMLAB_TESTS_DIR="${base#"$PWD"/}/tests" \
		UMLAB_LOG_DIR="$base/$1/logs" make -s ${UMLAB_LINE:+KERNEL=$UMLAB_LINE} PROFILE="${UMLAB_PROFILE:-default}" JOBS=2 test
}

# 1. Ctrl-C at a terminal.
cat >"$base/1.script" <<EOF
spawn $(labtest 1)
expect both-up 60
send "\x03"
exit SIGINT 3
EOF
python3 tests/lib/pty.py "$base/1.script" || fail "Ctrl-C: make did not end by SIGINT within 3 s"
leftovers 1 || fail "Ctrl-C left the processes or run directories above"
echo "ok: Ctrl-C at a terminal during make test left nothing"

# 2. TERM to the process group of a make test with no terminal.
# shellcheck disable=SC2046 # labtest prints the command, one word each
setsid $(labtest 2) </dev/null >"$base/2.out" 2>&1 &
make_pid=$!
for _ in $(seq 600); do
	[ -s "$base/2/flag" ] && break
	kill -0 "$make_pid" 2>/dev/null || break
	sleep 0.1
done
[ -s "$base/2/flag" ] || { cat "$base/2.out"; fail "the tests did not get under way"; }
kill -TERM -- "-$make_pid"
for _ in $(seq 30); do
	kill -0 "$make_pid" 2>/dev/null || break
	sleep 0.1
done
! kill -0 "$make_pid" 2>/dev/null || fail "make is still running 3 s after TERM"
wait "$make_pid"
rc=$?
cat "$base/2.out"
[ "$rc" -ne 0 ] || fail "make test exited 0 after TERM"
leftovers 2 || fail "TERM to the process group left the processes or run directories above"
echo "ok: TERM to make's process group left nothing (make exited $rc)"
