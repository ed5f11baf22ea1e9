#!/bin/sh
# Runs inside the guest (busybox sh): one test script, then a check of the
# kernel's health while it ran, then the kernel's log ("umlab-dmesg: "
# lines, which the runner keeps apart). Exit status: the test's own, or 1
# if the kernel logged trouble or gained a taint flag.
#
# usage (in /lab): sh tests/lib/guest-run.sh [OPTIONS] tests/NAME.sh
#   --cd DIR        run the test in DIR (a shared module directory, M=)
#   --moddir DIR    the lab's modules are in DIR (tests/lib/module.sh)
#   --coverage DIR  afterwards, copy the modules' gcov counters (.gcda)
#                   from /sys/kernel/debug/gcov to DIR (make coverage)
#   --as-user       run the test as the host's user (umlab.user=, see
#                   rootfs/init.c), as its author runs it on their machine,
#                   with sudo for root; unless the script says "# as: root"
# A test that is executable and starts with #! runs as its own program
# (a module's own bash script, say); any other runs with sh.

coverage=
as=
while [ $# -gt 1 ]; do
	case "$1" in
	--cd) cd "$2" || exit 1 ;;
	--moddir) export UMLAB_MODDIR="$2" ;;
	--coverage) coverage=$2 ;;
	--as-user)
		as=$(sed -n 's/.*umlab\.user=\([^: ]*\):.*/\1/p' /proc/cmdline)
		shift
		continue ;;
	*) break ;;
	esac
	shift 2
done
test=$1
# Taint bits a module lab expects: O (out-of-tree module, 4096),
# E (unsigned module, 8192) and N (a KUnit test module ran, 262144).
allowed_taint=$((4096 | 8192 | 262144))

kmemleak=/sys/kernel/debug/kmemleak	# PROFILE=debug kernels have it

# kmemleak_scan: one scan, without the kernel's "N new suspected memory
# leaks" line on the console (an info line, level 6): on UML most of what
# it counts is the core kernel's, and the leaks that are a module's are
# reported below, with their records.
kmemleak_scan() {
	read -r kmemleak_level _ </proc/sys/kernel/printk
	echo 6 >/proc/sys/kernel/printk
	echo scan >"$kmemleak"
	echo "$kmemleak_level" >/proc/sys/kernel/printk
}

# kmemleak only reports objects older than 5 s, and under time-travel
# (the runner's default) sleeping costs no wall-clock time.
if [ -w "$kmemleak" ]; then
	# what the boot left behind is not this test's
	sleep 6
	kmemleak_scan
	echo clear > "$kmemleak"
fi

taint_before=$(cat /proc/sys/kernel/tainted)
marker="umlab: start of $test"
echo "$marker" > /dev/kmsg
export UMLAB_MARKER="$marker"

read -r magic < "$test"
own=0	# a program of its own (#! and executable), else a sh script
case "$magic" in "#!"*) [ -x "$test" ] && own=1 ;; esac
grep -q '^# as: root' "$test" && as=
# shellcheck disable=SC2016 # $0: for su's shell
if [ -n "$as" ] && [ "$own" = 1 ]; then
	su -s /bin/sh "$as" -c 'exec "$0"' "$test"
elif [ -n "$as" ]; then
	su -s /bin/sh "$as" -c 'exec sh "$0"' "$test"
elif [ "$own" = 1 ]; then
	"$test"
else
	sh "$test"
fi
rc=$?

# A module left loaded fails its test. (procfs files have size 0: read
# the list, do not ask test -s.)
left=$(while read -r mod _; do printf ' %s' "$mod"; done < /proc/modules)
if [ -n "$left" ]; then
	echo "umlab: modules still loaded after $test:$left"
	[ "$rc" -ne 0 ] || rc=1
fi

# Kernel log lines since the marker, in one awk: the OOM killer's report
# (with its call trace) is the kernel working as designed, not trouble.
# From the first report on, what and where (at most 50 lines). A bare
# stack dump (a WARN-less dump_stack()) comes after the lines that say
# why: go back over the dump's header to the two lines before it.
# (tests/lib/kernel-reports.ere: how a kernel report starts, for the
# runner too; here a bare call trace counts as well)
reports="$(cat /lab/tests/lib/kernel-reports.ere)|Call Trace"
trouble=$(dmesg | awk -v m="$marker" -v re="$reports" '
	index($0, m) { p = 1 }
	/invoked oom-killer:/ { oom = 1 }
	p && !oom {
		l[++n] = $0
		if (!first && $0 ~ re)
			first = n
	}
	oom && /Killed process|oom_reaper:/ { oom = 0 }
	END {
		if (!p) {
			print "lost"
			exit
		}
		if (!first)
			exit
		i = first - 1
		while (i > 0 && l[i] ~ /(Stack:|CPU: [0-9]+ UID|Tainted: |Hardware name: |\] +[0-9a-f]+( [0-9a-f]+)* *$)/)
			i--
		s = (i < first - 1 && i > 1) ? i - 1 : first
		for (j = s; j <= n && j < s + 50; j++)
			print l[j]
	}')
# No marker: the log wrapped while the test ran, and what it dropped
# cannot be checked. That fails, rather than pass unseen.
if [ "$trouble" = lost ]; then
	echo "umlab: the kernel log wrapped while $test ran (more than its buffer, $(dmesg | wc -c) bytes, was logged): its start cannot be checked for trouble; log less, or split the test"
	[ "$rc" -ne 0 ] || rc=1
elif [ -n "$trouble" ]; then
	echo "umlab: kernel trouble while $test ran:"
	echo "$trouble"
	[ "$rc" -ne 0 ] || rc=1
fi

# KUnit: a module with kunit_test_suite()s ran them when it was loaded, and
# KUnit printed KTAP to the kernel log: one block per module, "KTAP version
# 1", "1..N", then N suites. Each line goes to the runner as "umlab-kunit:
# LINE" (it nests them in its KTAP as subtests of this test); lines inside
# a block that are not KTAP (a failed expectation's "Expected ..." lines,
# the module's own messages) become diagnostics. A suite that failed fails
# the test, naming its failed cases.
kunit=$(dmesg | awk -v m="$marker" '
	index($0, m) { p = 1; next }
	!p { next }
	{ sub(/^\[[ 0-9.]*\] /, "") }
	!blk && /^KTAP version 1$/ { blk = 1; plan = 0; done = 0 }
	!blk { next }
	!plan && /^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0 }
	/^ *(KTAP version [0-9]+|1\.\.[0-9]+|(not )?ok [0-9]+.*|#.*)$/ {
		print "umlab-kunit: " $0
	}
	!/^ *(KTAP version [0-9]+|1\.\.[0-9]+|(not )?ok [0-9]+.*|#.*)$/ {
		line = $0
		ind = line; sub(/[^ ].*/, "", ind); sub(/^ */, "", line)
		print "umlab-kunit: " ind "# " line
	}
	/^(not )?ok [0-9]+ / && ++done >= plan { blk = 0 }')
if [ -n "$kunit" ]; then
	echo "$kunit"
	failed=$(echo "$kunit" | awk '
		/^umlab-kunit:     # Subtest: / { suite = $NF; cases = 0 }
		/^umlab-kunit:     not ok [0-9]+ / {
			c = $0; sub(/^umlab-kunit:     not ok [0-9]+ /, "", c); sub(/ #.*/, "", c)
			printf " %s.%s", suite, c; cases++
		}
		/^umlab-kunit: not ok [0-9]+ / && !cases { c = $0; sub(/^umlab-kunit: not ok [0-9]+ /, "", c); printf " %s", c }')
	if [ -n "$failed" ]; then
		echo "umlab: KUnit cases failed:$failed"
		# each failure with its file:line and the values KUnit gives
		echo "$kunit" | awk '
			/(EXPECTATION|ASSERTION) FAILED at / { f = 1 }
			/^umlab-kunit: *(not )?ok / { f = 0 }
			f { sub(/^umlab-kunit: *# */, "umlab:   "); print }'
		[ "$rc" -ne 0 ] || rc=1
	fi
fi

# Leaks: scan twice (an object must be unreferenced in two scans). On UML
# kmemleak also reports objects of the core kernel that are still in use
# (creds and pids of running tasks); a module's leak has the module in its
# allocation backtrace, by name while it is loaded, as a bare address once
# it is gone. Only those count.
if [ -w "$kmemleak" ]; then
	sleep 6
	kmemleak_scan
	kmemleak_scan
	leaks=$(awk '
		/^unreferenced object/ { if (keep) printf "%s", rec; rec = ""; keep = 0 }
		{ rec = rec $0 "\n" }
		/^    0x[0-9a-f]+$/ || /\[[A-Za-z0-9_]+\]$/ { keep = 1 }
		END { if (keep) printf "%s", rec }' "$kmemleak")
	if [ -n "$leaks" ]; then
		echo "umlab: kmemleak found unreferenced objects after $test:"
		echo "$leaks" | head -n 60
		[ "$rc" -ne 0 ] || rc=1
	fi
fi

# gcov keeps an unloaded module's counters; debugfs shows them at the path
# the object was built at on the host.
if [ -n "$coverage" ]; then
	gcov=/sys/kernel/debug/gcov
	find $gcov -name '*.gcda' | while read -r f; do
		out=$coverage/${f#"$gcov"/}
		mkdir -p "${out%/*}" && cat "$f" > "$out"
	done
fi

taint_after=$(cat /proc/sys/kernel/tainted)
new=$(( (taint_after & ~taint_before) & ~allowed_taint ))
if [ "$new" -ne 0 ]; then
	echo "umlab: kernel taint changed from $taint_before to $taint_after while $test ran"
	[ "$rc" -ne 0 ] || rc=1
fi
# the kernel's log, for the runner to keep beside the test's (NAME.dmesg)
dmesg | sed 's/^/umlab-dmesg: /'
exit "$rc"
