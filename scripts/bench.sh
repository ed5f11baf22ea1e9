#!/usr/bin/env bash
# make bench: time the lab's loop, and give every figure as a ratio to a
# reference measured in the same run, interleaved with it: absolute times
# move 3-6x between machines and days, ratios much less. The references:
#   raw boot   the lab kernel and rootfs booted to busybox and powered off
#              at once (init=/bin/busybox -- poweroff -f), no run.sh; the
#              median of 3 boots (5 before each make test)
#   pipe rtt   a one-byte round trip between two host processes on one CPU
#   spawn      host fork + exec of /bin/true + wait
# (scripts/bench/hostref.c); scripts/bench/trapcost.c adds the floor of a
# guest system call on this host, for ptrace and for a seccomp trap. Each
# round measures the references, then the figures; a figure's ratio is the
# median of its per-round ratios. Prints
# a table (seconds: min, median, max; ratio; target) and writes it to
# build/bench.tsv. A benchmark, not a test: nothing here fails on a slow
# number.
#
#   RUNS=N     rounds of the quick measurements (default 7; make test:
#              5 rounds, or N if fewer)
#   --vs DIR   (make bench VS=DIR) the same figures for another checkout,
#              measured in the same rounds: before/after columns
#   COLD=1     also: the kernel built from nothing with and without
#              kernel-config/tracing.config, and a fresh clone to a passing
#              make test, with an empty ccache and with a warm one
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${RUNS:-7}
# --vs DIR: the same figures for another checkout of the lab (built
# there), round by round with this one's: before and after a change
vs=
if [ "${1:-}" = --vs ]; then
	if [ -z "${2:-}" ] || [ ! -x "$2/run.sh" ]; then
		echo "bench: --vs needs a checkout of the lab" >&2
		exit 2
	fi
	vs=$(cd "$2" && pwd)
	vs_name=$(git -C "$vs" log -1 --format=%h 2>/dev/null || basename "$vs")
fi
out=build/bench.tsv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MAKEFLAGS='' MFLAGS='' MAKELEVEL=''

now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{ printf "%.4f", $1 - $2 }'; }

mkdir -p build/bench
gcc -O2 -o build/bench/hostref scripts/bench/hostref.c
gcc -O2 -o build/bench/trapcost scripts/bench/trapcost.c
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

# raw_boot_ref NAME N: the round's raw boot reference, the median of N
# boots: one boot in real time varies by 2x (0.08 to 0.2 s here), too
# much for a reference
raw_boot_ref() {
	local name=$1 n=$2 i t0
	for ((i = 0; i < n; i++)); do
		t0=$(now)
		raw_boot
		since "$t0"
		echo
	done | sort -n | awk -v n="$n" '{ v[NR] = $1 } END { print v[int((n + 1) / 2)] }' >"$work/ref"
	sample "$name" "$(<"$work/ref")"
}

# host_figures PROG KEY=NAME...: run PROG, and sample each KEY it prints
# (nanoseconds) as NAME (seconds)
host_figures() {
	local prog=$1 key val pair
	shift
	while read -r key val; do
		for pair in "$@"; do
			[ "$key" != "${pair%%=*}" ] ||
				sample "${pair#*=}" "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')"
		done
	done < <("$prog" 20000)
}

host_refs() {
	host_figures build/bench/hostref pipe_rtt_ns=pipe_rtt spawn_ns=spawn
	# what a guest system call cannot go below: the bare ptrace round
	# trip UML 6.12 makes, and that of the seccomp mode of later kernels
	host_figures build/bench/trapcost ptrace_ns=ptrace_rtt seccomp_ns=seccomp_rtt
}

guest_costs() {
	local key val
	while read -r key val _; do
		case "$key" in
		getppid) sample "${pfx}guest_getppid" "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')" ;;
		fork) sample "${pfx}guest_fork" "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')" ;;
		esac
	done < <(./run.sh -- /lab/build/progs/syscall-cost 20000 | tr -d '\r')
}

# guest_elapsed NAME CMD...: sample NAME with the seconds CMD took in the
# guest, timed there (tests/progs/elapsed.c, this checkout's, shared at
# /bench for a --vs tree too): no boot taken away, so no figure below zero
guest_elapsed() {
	local name=$1 key val
	shift
	while read -r key val _; do
		[ "$key" = elapsed_ns ] &&
			sample "$name" "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')"
	done < <(./run.sh --share "$top/build/progs:/bench" -- /bench/elapsed "$@" | tr -d '\r')
}

# The runner's wrapper around a test that does nothing, in real time (in
# simulated time its work would take none)
guest_wrapper() {
	guest_elapsed "${pfx}guest_wrapper" sh tests/lib/guest-run.sh build/bench/empty-test.sh
}

# hostfs at work: every file of the project (build/ excluded) found and
# read, five times over
hostfs_walk() {
	guest_elapsed "${pfx}hostfs_walk" sh -c 'for i in 1 2 3 4 5; do
		find /lab -path /lab/build -prune -o -type f -print0 | xargs -0 cat >/dev/null
	done'
}

# figures: one round of the lab's own figures, in the current directory,
# each sampled as $pfx<name> (the --vs tree: pfx=vs_)
figures() {
	raw_boot_ref "${pfx}raw_boot" 3
	time_it "${pfx}noop_make" make -s all
	time_it "${pfx}run_true" ./run.sh -- true
	time_it "${pfx}run_true_tt" ./run.sh --append time-travel=inf-cpu -- true
	guest_costs
	guest_wrapper
	hostfs_walk
	time_it "${pfx}edit_hello" sh -c 'touch modules/hello/hello.c && make -s test T=hello'
	time_it "${pfx}edit_ksort" sh -c 'touch modules/ksort/ksort.c && make -s test T=ksort'
	time_it "${pfx}edit_extmod" sh -c "touch $work/${pfx}shout/shout.c && make -s test M=$work/${pfx}shout T=check.sh"
}
suite() {
	raw_boot_ref "${pfx}raw_boot_suite" 5
	time_it "${pfx}make_test" make -s test
	time_it "${pfx}make_test_j1" make -s test JOBS=1
}
# prepare: build what the rounds use, and an outside module directory to
# edit and test (make test M=)
prepare() {
	make -s all >/dev/null
	mkdir -p build/bench
	echo 'exit 0' >build/bench/empty-test.sh
	cp -r "$top/tests/extmod/shout" "$work/${pfx}shout"
	make -s test M="$work/${pfx}shout" >/dev/null 2>&1 || true
}
in_vs() { [ -z "$vs" ] || (cd "$vs" && pfx=vs_ && "$@"); }

pfx=
prepare
in_vs prepare
echo "bench: $runs rounds ..." >&2
for ((round = 1; round <= runs; round++)); do
	host_refs
	figures
	in_vs figures
done
for ((round = 1; round <= (runs < 5 ? runs : 5); round++)); do
	suite
	in_vs suite
done

# Host memory of one instance: the largest process of a lab.
rss() {
	local kib round
	for round in 1 2 3; do
		kib=$(/usr/bin/time -f %M ./run.sh -- sh -c 'cat /proc/meminfo >/dev/null' 2>&1 >/dev/null | tail -n 1)
		sample "${pfx}rss_mib" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
	done
}
rss
in_vs rss

# stats NAME [REF]: "n min median max ratio" of NAME's samples; the ratio
# is the median of NAME/REF round by round ("-" without REF)
stats() {
	awk '
		function median(a, n,   i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		FNR == 1 { file++ }
		file == 1 { v[++n] = $2; r[$1] = $2 }
		file == 2 && ($1 in r) && $2 > 0 { q[++m] = r[$1] / $2 }
		END {
			med = median(v, n)
			printf "%d %.7f %.7f %.7f %s\n", n, v[1], med, v[n], m ? sprintf("%.2f", median(q, m)) : "-"
		}' "$work/$1" ${2:+"$work/$2"}
}

# row WHAT NAME UNIT [REF TARGET]: min/median/max of NAME; with REF, its
# ratio to REF, against TARGET (a ratio). With --vs, the other tree's
# median and ratio (to its own REF where it has one), and after/before.
printf 'what\tunit\tn\tmin\tmedian\tmax\tratio\tto\ttarget\tvs_median\tvs_ratio\n' >"$out"
if [ -n "$vs" ]; then
	printf '%-50s %9s %8s %-22s %9s %8s %7s\n' measurement median ratio target \
		"before" ratio after/
	printf '%-50s %9s %8s %-22s %9s %8s %7s\n' "" "" "" "" "($vs_name)" "" before
else
	printf '%-50s %9s %9s %9s %8s  %s\n' measurement min median max ratio target
fi
show() {	# show UNIT VALUE
	awk -v u="$1" -v x="$2" 'BEGIN {
		if (u != "s") printf "%.1f", x
		else if (x < 0.001) printf "%.1fus", x * 1e6
		else if (x < 1) printf "%.1fms", x * 1e3
		else printf "%.2fs", x }'
}
row() {
	local what=$1 name=$2 unit=$3 ref=${4:-} target=${5:-} n lo med hi ratio tgt=''
	local vref vmed vratio=- change=''
	read -r n lo med hi ratio < <(stats "$name" "$ref")
	[ -z "$target" ] || tgt="<= ${target}x $(echo "$ref" | tr _ ' ')"
	[ "$ratio" = - ] || ratio=${ratio}x
	if [ -n "$vs" ] && [ -s "$work/vs_$name" ]; then
		vref=$ref
		[ -z "$ref" ] || [ ! -s "$work/vs_$ref" ] || vref=vs_$ref
		read -r _ _ vmed _ vratio < <(stats "vs_$name" "$vref")
		[ "$vratio" = - ] || vratio=${vratio}x
		change=$(awk -v a="$med" -v b="$vmed" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
		printf '%-50s %9s %8s %-22s %9s %8s %7s\n' "$what" "$(show "$unit" "$med")" "$ratio" \
			"$tgt" "$(show "$unit" "$vmed")" "$vratio" "$change"
	elif [ -n "$vs" ]; then
		vmed=
		printf '%-50s %9s %8s %-22s\n' "$what" "$(show "$unit" "$med")" "$ratio" "$tgt"
	else
		vmed=
		printf '%-50s %9s %9s %9s %8s  %s\n' "$what" "$(show "$unit" "$lo")" \
			"$(show "$unit" "$med")" "$(show "$unit" "$hi")" "$ratio" "$tgt"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$what" "$unit" "$n" "$lo" "$med" "$hi" \
		"$ratio" "$ref" "$target" "$vmed" "$vratio" >>"$out"
}
row "raw boot (busybox, poweroff -f): the reference" raw_boot s
row "host pipe round trip, one CPU: the reference" pipe_rtt s
row "host fork+exec+wait: the reference" spawn s
row "make, nothing changed" noop_make s raw_boot 0.72
row "./run.sh -- true" run_true s raw_boot 1.3
row "./run.sh -- true, time-travel (as tests boot)" run_true_tt s raw_boot
row "guest getppid()" guest_getppid s pipe_rtt 1.5
row "  floor: bare ptrace SYSEMU round trip (host)" ptrace_rtt s pipe_rtt
row "  floor: bare seccomp SIGSYS+futex round trip (host)" seccomp_rtt s pipe_rtt
row "guest fork+exit+wait" guest_fork s spawn
row "the runner's wrapper around a test (guest side)" guest_wrapper s
row "hostfs: find + cat of the project x5 (guest side)" hostfs_walk s raw_boot
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
