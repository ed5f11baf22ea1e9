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
# A column per kernel line (kernel-config/lines), and for a line whose
# UML has the seccomp userspace (7.3) one more with seccomp=on, and for a
# line with SMP one more with two CPUs (make CPUS=2, ./run.sh --cpus 2:
# no time-travel boot, no make test), measured in the same rounds.
#
#   RUNS=N     rounds of the quick measurements (default 7; make test:
#              5 rounds, or N if fewer)
#   --kernel L (make bench KERNEL=L) the columns of line L only
#   --vs DIR   (make bench VS=DIR) the same figures for another checkout,
#              measured in the same rounds: before/after columns (the
#              default line of each)
#   COLD=1     also: the kernel built from nothing with and without
#              kernel-config/tracing.config, and a fresh clone to a passing
#              make test, with an empty ccache and with a warm one

# (a column's settings live in the subshell that measures it: in_col)
# shellcheck disable=SC2030,SC2031
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${RUNS:-7}
only_line=
if [ "${1:-}" = --kernel ]; then
	only_line=$2
	scripts/build-dir.sh "$only_line" >/dev/null || exit 2
	shift 2
fi
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

# The columns, each LABEL|DIR|LINE|APPEND|CPUS: a checkout, the kernel
# line it is built for (empty: the checkout's default), kernel arguments
# for every boot (make test APPEND=, ./run.sh --append), and virtual CPUs
# (empty: one).
cols=()
if [ -n "$vs" ]; then
	cols=("this|$top|||" "$vs_name|$vs|||")
else
	for line in ${only_line:-$(scripts/build-dir.sh --lines)}; do
		cols+=("$line|$top|$line||")
		# a UML with the seccomp userspace (7.3): that too
		make -s KERNEL="$line" all >/dev/null
		grep -qa 'seccomp=<on/auto/off>' "$(scripts/build-dir.sh "$line")/kernel/linux" &&
			cols+=("$line seccomp|$top|$line|seccomp=on|")
		# a line with SMP: two CPUs
		if scripts/build-dir.sh "$line" default 2 >/dev/null 2>&1; then
			make -s KERNEL="$line" CPUS=2 all >/dev/null
			cols+=("$line smp|$top|$line||2")
		fi
	done
fi

# in_col N CMD...: CMD in column N's checkout, for its line and mode, with
# its samples named c<N>_<name> ($pfx); $kernel, $mk, $run, $cpus there
in_col() {
	local dir line append cpus
	IFS='|' read -r _ dir line append cpus <<<"${cols[$1]}"
	(
		cd "$dir"
		pfx=c$1_
		cpus=${cpus:-1}
		if [ -x scripts/build-dir.sh ]; then
			UMLAB_BUILD=$(scripts/build-dir.sh ${line:+"$line"} default "$cpus")
		else
			UMLAB_BUILD=build	# a checkout from before kernel lines
		fi
		export UMLAB_BUILD
		kernel=$UMLAB_BUILD/kernel/linux
		mk=(make -s ${line:+"KERNEL=$line"} ${append:+"APPEND=$append"})
		run=(./run.sh)
		for a in $append; do run+=(--append "$a"); done
		if [ "$cpus" != 1 ]; then
			mk+=("CPUS=$cpus")
			run+=(--cpus "$cpus")
			append+=" ncpus=$cpus seccomp=on"	# for the raw boot
		fi
		shift
		"$@"
	)
}
each_col() { local i; for i in "${!cols[@]}"; do in_col "$i" "$@"; done; }

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
	# shellcheck disable=SC2086 # the column's kernel arguments
	TMPDIR=$d "$kernel" mem=256M "ubd0=$d/cow,build/rootfs.ext4" root=/dev/ubda \
		con=null con0=null,fd:1 quiet $append init=/bin/busybox -- poweroff -f >/dev/null 2>&1
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
		forkexec) sample "${pfx}guest_forkexec" "$(awk -v v="$val" 'BEGIN { print v / 1e9 }')" ;;
		esac
	done < <("${run[@]}" -- /lab/build/progs/syscall-cost 20000 2>/dev/null | tr -d '\r')
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
	done < <("${run[@]}" --share "$top/build/progs:/bench" -- /bench/elapsed "$@" 2>/dev/null | tr -d '\r')
}

# Two CPU-bound guest processes at once, and one alone (a loop in the
# shell: no system call), in real time: with two CPUs, two take the time
# one does
busy() {
	# shellcheck disable=SC2016 # the guest's shell expands it
	local loop='i=0; while [ $i -lt 300000 ]; do i=$((i + 1)); done'
	guest_elapsed "${pfx}busy_one" sh -c "$loop"
	guest_elapsed "${pfx}busy_two" sh -c "($loop) & ($loop) & wait"
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
	# (another column's edits below touch this one's sources too: made
	# first, so that what is timed is a make with nothing changed)
	"${mk[@]}" all >/dev/null 2>&1 || true
	time_it "${pfx}noop_make" "${mk[@]}" all
	time_it "${pfx}run_true" "${run[@]}" -- true
	[ "$cpus" != 1 ] ||
		time_it "${pfx}run_true_tt" "${run[@]}" --append time-travel=inf-cpu -- true
	guest_costs
	busy
	guest_wrapper
	hostfs_walk
	time_it "${pfx}edit_hello" sh -c 'touch modules/hello/hello.c && "$@" test T=hello' - "${mk[@]}"
	time_it "${pfx}edit_ksort" sh -c 'touch modules/ksort/ksort.c && "$@" test T=ksort' - "${mk[@]}"
	# shellcheck disable=SC2016 # for sh -c
	time_it "${pfx}edit_extmod" sh -c 'touch "$0/shout.c" && "$@" test M="$0" T=check.sh' \
		"$work/${pfx}shout" "${mk[@]}"
}
# (a column with kernel arguments, seccomp=on, runs tests that expect the
# lab's own boot: its suite is timed whether it passes or not; JOBS=1 is
# timed in the first column only)
suite() {
	[ "$cpus" = 1 ] || return 0	# real time, every test: minutes
	raw_boot_ref "${pfx}raw_boot_suite" 5
	if [ -n "$append" ]; then
		t0=$(now)
		"${mk[@]}" test >/dev/null 2>&1 || true
		sample "${pfx}make_test" "$(since "$t0")"
	else
		time_it "${pfx}make_test" "${mk[@]}" test
	fi
	[ "$pfx" != c0_ ] || time_it "${pfx}make_test_j1" "${mk[@]}" test JOBS=1
}
# prepare: build what the rounds use, and an outside module directory to
# edit and test (make test M=)
prepare() {
	"${mk[@]}" all >/dev/null
	mkdir -p build/bench
	echo 'exit 0' >build/bench/empty-test.sh
	cp -r "$top/tests/extmod/shout" "$work/${pfx}shout"
	"${mk[@]}" test M="$work/${pfx}shout" >/dev/null 2>&1 || true
}

each_col prepare
echo "bench: $runs rounds of ${#cols[@]} columns ..." >&2
for ((round = 1; round <= runs; round++)); do
	host_refs
	each_col figures
done
for ((round = 1; round <= (runs < 5 ? runs : 5); round++)); do
	each_col suite
done

# Host memory of one instance: the largest process of a lab.
rss() {
	local kib round
	for round in 1 2 3; do
		kib=$(/usr/bin/time -f %M "${run[@]}" -- sh -c 'cat /proc/meminfo >/dev/null' 2>&1 >/dev/null | tail -n 1)
		sample "${pfx}rss_mib" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
	done
}
each_col rss

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

# row WHAT NAME UNIT [REF TARGET]: each column's median of NAME and, with
# REF, its ratio to REF (the column's own where it has one: its raw boot),
# against TARGET (a ratio). A figure of the host alone has one column.
# With --vs, after/before: this checkout's median over the other's.
printf 'what\tunit\tcolumn\tn\tmin\tmedian\tmax\tratio\tto\ttarget\n' >"$out"
printf '%-46s' measurement
for c in "${cols[@]}"; do printf ' %20s' "${c%%|*}"; done
[ -z "$vs" ] || printf ' %7s' after/
printf '  %s\n' target
printf '%-46s' ''
for c in "${cols[@]}"; do printf ' %10s %9s' median ratio; done
[ -z "$vs" ] || printf ' %7s' before
printf '\n'
show() {	# show UNIT VALUE
	awk -v u="$1" -v x="$2" 'BEGIN {
		if (u != "s") printf "%.1f", x
		else if (x < 0.001) printf "%.1fus", x * 1e6
		else if (x < 1) printf "%.1fms", x * 1e3
		else printf "%.2fs", x }'
}
row() {
	local what=$1 name=$2 unit=$3 ref=${4:-} target=${5:-} i key cref n lo med hi ratio
	local tgt='' meds=() line
	[ -z "$target" ] || tgt="<= ${target}x $(echo "$ref" | tr _ ' ')"
	line=$(printf '%-46s' "$what")
	for i in "${!cols[@]}"; do
		key=c${i}_$name
		if [ ! -s "$work/$key" ]; then
			# a host figure: shown once
			if [ "$i" -eq 0 ] && [ -s "$work/$name" ]; then key=$name; else
				line+=$(printf ' %10s %9s' '' ''); continue; fi
		fi
		cref=$ref
		[ -z "$ref" ] || [ ! -s "$work/c${i}_$ref" ] || cref=c${i}_$ref
		read -r n lo med hi ratio < <(stats "$key" "$cref")
		[ "$ratio" = - ] || ratio=${ratio}x
		meds+=("$med")
		line+=$(printf ' %10s %9s' "$(show "$unit" "$med")" "$ratio")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$what" "$unit" "${cols[$i]%%|*}" \
			"$n" "$lo" "$med" "$hi" "$ratio" "$ref" "$target" >>"$out"
	done
	if [ -n "$vs" ]; then
		line+=$(printf ' %7s' "$( [ ${#meds[@]} -eq 2 ] &&
			awk -v a="${meds[0]}" -v b="${meds[1]}" 'BEGIN { if (b > 0) printf "%.2f", a / b }')")
	fi
	printf '%s  %s\n' "$line" "$tgt"
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
row "one busy guest process (a shell loop)" busy_one s raw_boot
row "two at once, over one alone (SMP: <= 1.18: 1.7x the work)" busy_two s busy_one
row "guest fork+exec of /bin/true+wait" guest_forkexec s spawn
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
	first=${cols[0]#*|*|} first=${first%%|*}
	ksrc=build/linux-source-${first:-6.12}
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
	# The first thing a new user meets: a fresh clone to a kernel and
	# rootfs a shell can boot (make all; the boot is a tenth of a second),
	# an empty ccache, for each line; then to a passing make test, with
	# an empty ccache and with a warm one.
	for line in ${only_line:-$(scripts/build-dir.sh --lines)}; do
		export CCACHE_DIR="$work/ccache-$line"	# starts empty
		git clone -q "$top" "$work/clone-$line"
		t0=$(now)
		make -C "$work/clone-$line" -s KERNEL="$line" all >/dev/null 2>&1 ||
			{ echo "bench: make KERNEL=$line all failed in a fresh clone" >&2; exit 1; }
		round=1 sample "cold_all_$line" "$(since "$t0")"
		rm -rf "$work/clone-$line" "$CCACHE_DIR"
		row "fresh clone -> make KERNEL=$line all, empty ccache" "cold_all_$line" s
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
