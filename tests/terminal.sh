#!/usr/bin/env bash
# where: host
# timeout: 180
# The lab at a real terminal (tests/lib/pty.py), as a person uses it:
# poweroff, halt and reboot at the shell end the lab with status 0; Ctrl-C
# interrupts the shell's foreground command, and a `-- CMD` (130), stopping
# the lab anyway when the guest does not end; Ctrl-\ and a closed terminal
# end it too. Each time the terminal's settings come back as they were and
# nothing of the run is left: no process, no directory.
set -u
fail() { echo "FAIL: $*"; exit 1; }

export TMPDIR
TMPDIR=$(mktemp -d)
trap 'rm -rf "$TMPDIR"' EXIT
terminal() { python3 tests/lib/pty.py - || fail "$1"; }
leftovers() {
	local left
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		pgrep -f "uml_dir=$TMPDIR/" >/dev/null || break
		sleep 0.2
	done
	pgrep -f "uml_dir=$TMPDIR/" >/dev/null && fail "$1 left UML processes"
	left=$(ls -A "$TMPDIR")
	[ -z "$left" ] || fail "$1 left files behind: $left"
	echo "ok: $1"
}

terminal "shell: Ctrl-C, then poweroff" <<'EOF'
spawn ./run.sh
expect "umlab:/lab# "
send "sleep 30\r"
sleep 0.5
send "\x03"
expect "umlab:/lab# " 10
send "echo answer-$((40 + 2))\r"
expect "answer-42"
expect "umlab:/lab# "
send "poweroff\r"
exit 0 10
sane
EOF
leftovers "shell: Ctrl-C interrupts the command, poweroff ends the lab"

for off in halt reboot "poweroff -f" "reboot -f"; do
	terminal "shell: $off" <<EOF
spawn ./run.sh
expect "umlab:/lab# "
send "$off\r"
exit 0 10
sane
EOF
	leftovers "shell: $off ends the lab with status 0"
done

terminal "-- CMD: Ctrl-C" <<'EOF'
spawn ./run.sh -- sh -c "echo ready; sleep 100"
expect ready
send "\x03"
exit 130 10
sane
EOF
leftovers "-- CMD: Ctrl-C interrupts it, status 130"

out=$(terminal "-- CMD ignoring SIGINT: Ctrl-C" <<'EOF'
spawn ./run.sh -- sh -c "trap '' INT; echo ready; sleep 100"
expect ready
send "\x03"
expect "did not end within 2 s"
exit 130 10
sane
EOF
) || { echo "$out"; exit 1; }
leftovers "-- CMD that ignores SIGINT: the lab is stopped anyway, status 130"

# (exec: busybox sh runs its sleep applet in its own process, which
# ignores SIGQUIT as every shell does)
terminal "-- CMD: Ctrl-\\" <<'EOF'
spawn ./run.sh -- sh -c "echo ready; exec sleep 100"
expect ready
send "\x1c"
exit 131 10
sane
EOF
leftovers "-- CMD: Ctrl-\\ ends it"

terminal "-- CMD: terminal closed" <<'EOF'
spawn ./run.sh -- sh -c "echo ready; sleep 100"
expect ready
hangup
exit 129 10
EOF
leftovers "-- CMD: a closed terminal (SIGHUP) ends it"

terminal "stdin not a terminal: Ctrl-C" <<'EOF'
spawn bash -c "exec ./run.sh -- sh -c 'echo ready; sleep 100' </dev/null"
expect ready
send "\x03"
exit 130 10
sane
EOF
leftovers "stdin not a terminal: Ctrl-C stops the lab, status 130"
echo "terminal ok"
