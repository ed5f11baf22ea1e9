#!/usr/bin/env bash
# where: host
# timeout: 120
# A make test cancelled half-way leaves nothing: Ctrl-C at a terminal
# (tests/lib/pty.py); TERM and HUP to make's process group (what a CI
# runner sends when a job is cancelled), and TERM to make alone, with no
# terminal; each while a guest test and a host test (with an instance of
# its own) run. Within 3 s of the signal no process of that run is left
# (UML, run.sh, timeout, the tests: every process that carries the run's
# token in its environment), no run directory, and make ends by the signal.
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

# signal_run N SIG WHOM: a make test with no terminal, SIG sent to WHOM
# (group: make's process group, as a CI runner cancels a job; make: make
# alone, which passes TERM on to what it runs) once both tests are under
# way
signal_run() {
	local n=$1 sig=$2 whom=$3 make_pid rc
	# shellcheck disable=SC2046 # labtest prints the command, one word each
	setsid $(labtest "$n") </dev/null >"$base/$n.out" 2>&1 &
	make_pid=$!
	for _ in $(seq 600); do
		[ -s "$base/$n/flag" ] && break
		kill -0 "$make_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ -s "$base/$n/flag" ] || { cat "$base/$n.out"; fail "$sig to $whom: the tests did not get under way"; }
	if [ "$whom" = group ]; then
		kill -"$sig" -- "-$make_pid"
	else
		kill -"$sig" "$make_pid"
	fi
	for _ in $(seq 30); do
		kill -0 "$make_pid" 2>/dev/null || break
		sleep 0.1
	done
	! kill -0 "$make_pid" 2>/dev/null || fail "make is still running 3 s after $sig to $whom"
	wait "$make_pid"
	rc=$?
	cat "$base/$n.out"
	[ "$rc" -ne 0 ] || fail "make test exited 0 after $sig to $whom"
	leftovers "$n" || fail "$sig to $whom left the processes or run directories above"
	echo "ok: $sig to $whom left nothing (make exited $rc)"
}
# 2-4. TERM and HUP to the process group of a make test with no terminal,
# TERM to make alone.
signal_run 2 TERM group
signal_run 3 HUP group
signal_run 4 TERM make
