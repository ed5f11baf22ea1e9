#!/usr/bin/env bash
# where: host
# timeout: 180
# The lab at a real terminal (tests/lib/pty.py), as a person uses it:
# poweroff, halt and reboot at the shell end the lab with status 0; Ctrl-C
# interrupts the shell's foreground command, and a `-- CMD` (130), stopping
# the lab anyway when the guest does not end; Ctrl-\ and a closed terminal
# end it too, with stdin a pipe that stays open as well. Each time the
# terminal's settings come back as they were and nothing of the run is
# left: no process (UML's, or run.sh's stdin relay), no directory.
set -u

# The scenarios run at the same time, each with a TMPDIR of its own (the
# runs' directories, and the pattern that finds its UML processes), and
# report in order.
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
pids=() n=0
# At most two boots per CPU at a time (one with the debug kernel, whose
# boot in real time takes some seconds of CPU): the steps' time limits
# hold for a machine this busy, not for ten boots at once.
max=$(($(nproc) * 2))
[ "${UMLAB_PROFILE:-default}" = default ] || max=$(nproc)

# scenario WHAT: run the pty.py script on stdin in the background; when it
# holds, check that its run left nothing behind
scenario() {
	local -a running
	while mapfile -t running < <(jobs -rp) && [ "${#running[@]}" -ge "$max" ]; do
		sleep 0.1
	done
	n=$((n + 1))
	mkdir "$base/$n"
	cat >"$base/$n.script"
	TMPDIR=$base/$n python3 tests/lib/pty.py "$base/$n.script" >"$base/$n.out" 2>&1 &&
		leftovers "$base/$n" "$1" >>"$base/$n.out" 2>&1 &&
		touch "$base/$n.ok" &
	pids+=($!)
}
leftovers() {
	local dir=$1 left
	# UML's processes name the run's directory, and so does the relay
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		pgrep -f "$dir/umlab\." >/dev/null || break
		sleep 0.2
	done
	pgrep -af "$dir/umlab\." && { echo "FAIL: $2 left processes of the run"; return 1; }
	left=$(ls -A "$dir")
	[ -z "$left" ] || { echo "FAIL: $2 left files behind: $left"; return 1; }
	echo "ok: $2"
}
# First the scenario that waits out run.sh's 2 s, so that the others run
# while it waits.
scenario "-- CMD that ignores SIGINT: the lab is stopped anyway, status 130" <<'EOF'
spawn ./run.sh -- sh -c "trap '' INT; echo ready; sleep 100"
expect ready
send "\x03"
expect "did not end within 2 s"
exit 130 10
sane
EOF

scenario "shell: Ctrl-C interrupts the command, poweroff ends the lab" <<'EOF'
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

for off in halt reboot "poweroff -f" "reboot -f"; do
	scenario "shell: $off ends the lab with status 0" <<EOF
spawn ./run.sh
expect "umlab:/lab# "
send "$off\r"
exit 0 10
sane
EOF
done

scenario "-- CMD: Ctrl-C interrupts it, status 130" <<'EOF'
spawn ./run.sh -- sh -c "echo ready; sleep 100"
expect ready
send "\x03"
exit 130 10
sane
EOF

# (exec: busybox sh runs its sleep applet in its own process, which
# ignores SIGQUIT as every shell does; the pause gives the exec that
# follows "ready" time to happen: before it, the shell gets Ctrl-\ and
# ignores it, and the lab is stopped with 130 instead)
scenario "-- CMD: Ctrl-\\ ends it" <<'EOF'
spawn ./run.sh -- sh -c "echo ready; exec sleep 100"
expect ready
sleep 0.3
send "\x1c"
exit 131 10
sane
EOF

scenario "-- CMD: a closed terminal (SIGHUP) ends it" <<'EOF'
spawn ./run.sh -- sh -c "echo ready; sleep 100"
expect ready
hangup
exit 129 10
EOF

# After su or runuser the terminal belongs to another user and cannot be
# opened again by name: typing still reaches the guest. (No permissions
# on this pty, as then; root is not held back by them, so as root this
# only shows that the path works.)
scenario "-- CMD at a terminal this user may not open: input reaches it" <<'EOF'
spawn bash -c "chmod 000 \"$(tty)\" && exec ./run.sh -- sh -c 'echo ready; read x; echo got=$x'"
expect ready
send "hello\r"
expect "got=hello"
exit 0 10
sane
EOF

scenario "stdin not a terminal: Ctrl-C stops the lab, status 130" <<'EOF'
spawn bash -c "exec ./run.sh -- sh -c 'echo ready; sleep 100' </dev/null"
expect ready
send "\x03"
exit 130 10
sane
EOF

# Stdin a pipe that stays open: the command reads it as it comes, and
# Ctrl-C still stops the lab (run.sh, the relay and UML all go).
scenario "stdin a pipe that stays open: read as it comes; Ctrl-C stops the lab, 130" <<'EOF'
spawn bash -c "{ echo first; sleep 100; } | ./run.sh -- sh -c 'read x; echo got=$x; cat'"
expect "got=first"
send "\x03"
exit 130 10
sane
EOF

failed=0
for ((i = 1; i <= n; i++)); do
	wait "${pids[i - 1]}"
	cat "$base/$i.out"
	[ -e "$base/$i.ok" ] || { echo "FAIL: scenario $i (above)"; failed=1; }
done
[ "$failed" -eq 0 ] || exit 1
echo "terminal ok"
