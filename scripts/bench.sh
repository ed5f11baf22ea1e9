#!/usr/bin/env bash
# make bench: time the lab's loop and print min / median / max of each
# figure, with a copy in build/bench.tsv. A benchmark, not a test: nothing
# here fails on a slow number.
#
#   RUNS=N     repetitions of each quick measurement (default 10)
#   COLD=1     also time a fresh clone to a passing `make test`, once with
#              an empty ccache and once with the ccache that left behind
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${RUNS:-10}
out=build/bench.tsv

now() { date +%s.%N; }

# time_cmd N CMD...: N wall-clock times in seconds, one per line
time_cmd() {
	local n=$1 i t0
	shift
	for ((i = 0; i < n; i++)); do
		t0=$(now)
		"$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; return 1; }
		echo "$(now) $t0" | awk '{ printf "%.3f\n", $1 - $2 }'
	done
}

# report WHAT UNIT: reads numbers on stdin, prints a table row
report() {
	sort -n | awk -v what="$1" -v unit="$2" -v tsv="$out" '
		{ v[NR] = $1 }
		END {
			med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%-52s %9.3f %9.3f %9.3f %s  (n=%d)\n", what, v[1], med, v[NR], unit, NR
			printf "%s\t%s\t%.3f\t%.3f\t%.3f\t%d\n", what, unit, v[1], med, v[NR], NR >> tsv
		}'
}

make -s all >/dev/null
mkdir -p build
printf 'what\tunit\tmin\tmedian\tmax\tn\n' >"$out"
printf '%-52s %9s %9s %9s\n' "measurement" min median max

time_cmd "$runs" make -s all | report "make, nothing changed" s
time_cmd "$runs" ./run.sh -- true | report "./run.sh -- true (boot, guest command, poweroff)" s
time_cmd "$runs" ./run.sh --append time-travel=inf-cpu -- true |
	report "./run.sh -- true, time-travel (as tests boot)" s

# The loop: edit a module's source, then its test (rebuilds that module).
edit_test() { touch modules/ksort/ksort.c && make -s test T=ksort; }
time_cmd "$runs" edit_test | report "touch ksort.c -> make test T=ksort" s

cpus=$(nproc)
time_cmd 3 make -s test | report "make test, warm (JOBS=$cpus, all tests)" s
time_cmd 3 make -s test JOBS=1 | report "make test, warm (JOBS=1)" s

# Host memory of one instance: peak RSS of the UML process and its children.
rss=$(/usr/bin/time -f %M ./run.sh -- sh -c 'cat /proc/meminfo >/dev/null' 2>&1 >/dev/null | tail -n 1)
echo "$rss" | awk '{ print $1 / 1024 }' | report "peak RSS, largest process of a lab (guest mem=${MEM:-256M})" MiB

if [ "${COLD:-0}" = 1 ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	# What kernel-config/tracing.config costs: the kernel built from
	# nothing (no ccache), with and without it, one after the other.
	ksrc=build/linux-source-6.12
	for with in with without; do
		frags=(kernel-config/*.config)
		[ "$with" = with ] || frags=("${frags[@]/kernel-config\/tracing.config/}")
		mapfile -t frags < <(printf '%s\n' "${frags[@]}" | grep .)
		scripts/kconfig.sh "$ksrc" "$work/k-$with" "${frags[@]}" >/dev/null
		t0=$(now)
		CCACHE_DISABLE=1 make -s -C "$ksrc" O="$work/k-$with" ARCH=um -j"$(nproc)" all >/dev/null 2>&1 ||
			{ echo "bench: the kernel build $with tracing.config failed" >&2; exit 1; }
		echo "$(now) $t0" | awk '{ printf "%.1f\n", $1 - $2 }' |
			report "kernel build from nothing, no ccache, $with tracing.config" s
		rm -rf "$work/k-$with"
	done
	export CCACHE_DIR="$work/ccache"	# starts empty
	for cache in empty warm; do
		# a clone of its own each time, as a user would make
		git clone -q "$top" "$work/clone-$cache"
		t0=$(now)
		make -C "$work/clone-$cache" -s test >/dev/null 2>&1 ||
			{ echo "bench: make test failed in a fresh clone" >&2; exit 1; }
		echo "$(now) $t0" | awk '{ printf "%.1f\n", $1 - $2 }' |
			report "fresh clone -> passing make test, $cache ccache" s
	done
fi
echo "(table also in $out)"
