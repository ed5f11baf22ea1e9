#!/usr/bin/env bash
# make bench: time the lab's loop, and give every figure as a ratio to a
# reference measured in the same run, interleaved with it: absolute times
# move 3-6x between machines and days, ratios much less. The references:
#   raw boot   the lab kernel and rootfs booted to busybox and powered off
#              at once (init=/bin/busybox -- poweroff -f), no run.sh
#   pipe rtt   a one-byte round trip between two host processes on one CPU
#   spawn      host fork + exec of /bin/true + wait
# (scripts/bench/hostref.c). Each round measures the references, then the
# figures; a figure's ratio is the median of its per-round ratios. Prints
# a table (seconds: min, median, max; ratio; target) and writes it to
# build/bench.tsv. A benchmark, not a test: nothing here fails on a slow
# number.
#
#   RUNS=N     rounds of the quick measurements (default 7)
#   COLD=1     also: the kernel built from nothing with and without
#              kernel-config/tracing.config, and a fresh clone to a passing
#              make test, with an empty ccache and with a warm one
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${RUNS:-7}
out=build/bench.tsv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MAKEFLAGS='' MFLAGS='' MAKELEVEL=''

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.4f", $1 - $2 }'; }

make -s all >/dev/null
mkdir -p build/bench
gcc -O2 -o build/bench/hostref scripts/bench/hostref.c
kernel=${UMLAB_BUILD:-build}/kernel/linux

# sample NAME VALUE: one measurement of NAME in this round
sample() { echo "$round $2" >>"$work/$1"; }

# time_it NAME CMD...: run CMD, sample its wall-clock seconds
time_it() {
	local name=$1 t0
	shift
	t0=$(now)
	"$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; exit 1; }
	sample "$name" "$(since "$t0")"
}

raw_boot() {
	local d
	d=$(mktemp -d "${TMPDIR:-/dev/shm}/umlab-bench.XXXXXX")
	TMPDIR=$d "$kernel" mem=256M "ubd0=$d/cow,build/rootfs.ext4" root=/dev/ubda \
		con=null con0=null,fd:1 quiet init=/bin/busybox -- poweroff -f >/dev/null 2>&1
	rm -rf "$d"
}

host_refs() {
	local key val
	while read -r key val; do
		case "$key" in
		pipe_rtt_ns) sample pipe_rtt "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')" ;;
		spawn_ns) sample spawn "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')" ;;
		esac
	done < <(build/bench/hostref 20000)
}

guest_costs() {
	local key val
	while read -r key val _; do
		case "$key" in
		getppid) sample guest_getppid "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')" ;;
		fork) sample guest_fork "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')" ;;
		esac
	done < <(./run.sh -- /lab/build/progs/syscall-cost 20000 | tr -d '\r')
}

# The runner's wrapper around a test that does nothing.
echo 'exit 0' >build/bench/empty-test.sh
guest_wrapper() {
	local t0 t1
	t0=$(now)
	./run.sh --append time-travel=inf-cpu -- sh tests/lib/guest-run.sh build/bench/empty-test.sh >/dev/null
	t1=$(since "$t0")
	t0=$(now)
	./run.sh --append time-travel=inf-cpu -- true
	sample guest_wrapper "$(echo "$t1 $(since "$t0")" | awk '{ print $1 - $2 }')"
}

# An outside module directory, edited and tested (make test M=)
cp -r tests/extmod/shout "$work/shout"
make -s test M="$work/shout" >/dev/null 2>&1 || true

echo "bench: $runs rounds ..." >&2
for ((round = 1; round <= runs; round++)); do
	time_it raw_boot raw_boot
	host_refs
	time_it noop_make make -s all
	time_it run_true ./run.sh -- true
	time_it run_true_tt ./run.sh --append time-travel=inf-cpu -- true
	guest_costs
	guest_wrapper
	time_it edit_hello sh -c 'touch modules/hello/hello.c && make -s test T=hello'
	time_it edit_ksort sh -c 'touch modules/ksort/ksort.c && make -s test T=ksort'
	time_it edit_extmod sh -c "touch $work/shout/shout.c && make -s test M=$work/shout T=check.sh"
done
for ((round = 1; round <= 3; round++)); do
	time_it raw_boot_suite raw_boot
	time_it make_test make -s test
	time_it make_test_j1 make -s test JOBS=1
done

# Host memory of one instance: the largest process of a lab.
rss=$(/usr/bin/time -f %M ./run.sh -- sh -c 'cat /proc/meminfo >/dev/null' 2>&1 >/dev/null | tail -n 1)
round=1 sample rss_mib "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"

# row WHAT NAME UNIT [REF TARGET]: min/median/max of NAME; with REF, the
# median of NAME/REF round by round, against TARGET (a ratio)
printf 'what\tunit\tmin\tmedian\tmax\tn\tratio\tto\ttarget\n' >"$out"
printf '%-50s %9s %9s %9s %8s  %s\n' measurement min median max ratio "target"
row() {
	local what=$1 name=$2 unit=$3 ref=${4:-} target=${5:-} refname
	refname=${ref:+$(echo "$ref" | tr _ ' ')}
	awk -v what="$what" -v unit="$unit" -v tsv="$out" -v target="$target" \
		-v refname="$refname" '
		function median(a, n,   i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		function show(x) {
			if (unit != "s") return sprintf("%.1f", x)
			if (x < 0.001) return sprintf("%.1fus", x * 1e6)
			if (x < 1) return sprintf("%.1fms", x * 1e3)
			return sprintf("%.2fs", x)
		}
		FNR == 1 { file++ }
		file == 1 { v[++n] = $2; r[$1] = $2 }
		file == 2 && ($1 in r) && $2 > 0 { q[++m] = r[$1] / $2 }
		END {
			med = median(v, n); lo = v[1]; hi = v[n]
			ratio = m ? sprintf("%.2fx", median(q, m)) : ""
			tgt = target != "" ? "<= " target "x " refname : ""
			printf "%-50s %9s %9s %9s %8s  %s\n", what, show(lo), show(med), show(hi), ratio, tgt
			printf "%s\t%s\t%.7f\t%.7f\t%.7f\t%d\t%s\t%s\t%s\n", what, unit, lo, med, hi, n,
				ratio, refname, target >> tsv
		}' "$work/$name" ${ref:+"$work/$ref"}
}
row "raw boot (busybox, poweroff -f): the reference" raw_boot s
row "host pipe round trip, one CPU: the reference" pipe_rtt s
row "host fork+exec+wait: the reference" spawn s
row "make, nothing changed" noop_make s raw_boot 0.72
row "./run.sh -- true" run_true s raw_boot 1.3
row "./run.sh -- true, time-travel (as tests boot)" run_true_tt s raw_boot
row "guest getppid()" guest_getppid s pipe_rtt 1.5
row "guest fork+exit+wait" guest_fork s spawn
row "the runner's wrapper around a test (guest side)" guest_wrapper s
row "touch hello.c -> make test T=hello" edit_hello s raw_boot 8
row "touch ksort.c -> make test T=ksort" edit_ksort s raw_boot
row "touch shout.c -> make test M=outside T=check.sh" edit_extmod s raw_boot
row "make test, warm (JOBS=$(nproc))" make_test s raw_boot_suite 80
row "make test, warm (JOBS=1)" make_test_j1 s raw_boot_suite
row "peak RSS, largest process of a lab (MiB)" rss_mib MiB

if [ "${COLD:-0}" = 1 ]; then
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
		round=1 sample "cold_$with" "$(since "$t0")"
		rm -rf "$work/k-$with"
		row "kernel build from nothing, no ccache, $with tracing.config" "cold_$with" s
	done
	export CCACHE_DIR="$work/ccache"	# starts empty
	for cache in empty warm; do
		# a clone of its own each time, as a user would make
		git clone -q "$top" "$work/clone-$cache"
		t0=$(now)
		make -C "$work/clone-$cache" -s test >/dev/null 2>&1 ||
			{ echo "bench: make test failed in a fresh clone" >&2; exit 1; }
		round=1 sample "clone_$cache" "$(since "$t0")"
		row "fresh clone -> passing make test, $cache ccache" "clone_$cache" s
	done
fi
echo "(table also in $out)"
