#!/usr/bin/env bash
# Which build a run uses: the one place that maps a kernel line and a
# profile to the directory with that kernel, its KDIR and the modules
# built for it. make exports the answer as UMLAB_BUILD, and run.sh, the
# tests, gdb and the guest take it from there. The lines are those of
# kernel-config/lines.
#
# usage: scripts/build-dir.sh [LINE [PROFILE]]   build/LINE, build/LINE/debug
#                                                (6.12: build/, build/debug/)
#        scripts/build-dir.sh --lines            the lines, the default first
#        scripts/build-dir.sh --suite LINE       where LINE's source comes from
set -euo pipefail

top=$(cd "${0%/*}/.." && pwd)
lines=() suites=()
while read -r line suite _; do
	case "$line" in "" | "#"*) continue ;; esac
	lines+=("$line") suites+=("$suite")
done <"$top/kernel-config/lines"

# index LINE: its place in kernel-config/lines, or a one-line error
index() {
	local i
	for i in "${!lines[@]}"; do
		[ "${lines[$i]}" = "$1" ] && { echo "$i"; return 0; }
	done
	echo "kernel line '$1' is not one the lab builds: use one of ${lines[*]}" >&2
	return 1
}

case "${1:-}" in
--lines)
	echo "${lines[*]}" ;;
--suite)
	i=$(index "${2:-}")
	echo "${suites[$i]}" ;;
*)
	line=${1:-${lines[0]}} profile=${2:-default}
	index "$line" >/dev/null
	# 6.12, the lab's first line, keeps the directory it always had:
	# no existing build moves (and rebuilds) for the lines that came after
	dir=build/$line
	[ "$line" != 6.12 ] || dir=build
	case "$profile" in
	default) echo "$dir" ;;
	debug) echo "$dir/debug" ;;
	*) echo "PROFILE=$profile is not a profile: use default or debug" >&2; exit 1 ;;
	esac ;;
esac
