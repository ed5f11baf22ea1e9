#!/usr/bin/env bash
# Which build a run uses: the one place that maps a kernel line and a
# profile to the directory with that kernel, its KDIR and the modules
# built for it. make exports the answer as UMLAB_BUILD, and run.sh, the
# tests, gdb and the guest take it from there. The lines are those of
# kernel-config/lines.
#
# usage: scripts/build-dir.sh [LINE [PROFILE [CPUS]]]
#                                   build/LINE, build/LINE/debug; with
#                                   CPUS > 1 build/LINE/smp[/debug]
#                                   (6.12: build/, build/debug/)
#        scripts/build-dir.sh --lines            the lines, the default first
#        scripts/build-dir.sh --suite LINE       where LINE's source comes from
set -euo pipefail

top=$(cd "${0%/*}/.." && pwd)
lines=() suites=() smps=()
while read -r line suite smp _; do
	case "$line" in "" | "#"*) continue ;; esac
	lines+=("$line") suites+=("$suite") smps+=("${smp:--}")
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
	line=${1:-${lines[0]}} profile=${2:-default} cpus=${3:-1}
	i=$(index "$line")
	[[ "$cpus" =~ ^[1-9][0-9]*$ ]] || { echo "CPUS=$cpus is not a number of CPUs" >&2; exit 1; }
	if [ "$cpus" -gt 1 ] && [ "${smps[$i]}" != smp ]; then
		echo "Linux $line's UML has one CPU (no SMP): for CPUS=$cpus use KERNEL=$(
			for j in "${!lines[@]}"; do [ "${smps[$j]}" != smp ] || { echo "${lines[$j]}"; break; }; done)" >&2
		exit 1
	fi
	# 6.12, the lab's first line, keeps the directory it always had:
	# no existing build moves (and rebuilds) for the lines that came after
	dir=build/$line
	[ "$line" != 6.12 ] || dir=build
	# an SMP kernel (any CPUS > 1 boots it) is a build of its own
	[ "$cpus" -eq 1 ] || dir=$dir/smp
	case "$profile" in
	default) echo "$dir" ;;
	debug) echo "$dir/debug" ;;
	*) echo "PROFILE=$profile is not a profile: use default or debug" >&2; exit 1 ;;
	esac ;;
esac
