#!/usr/bin/env bash
# where: host
# timeout: 120
# gdb on an SMP lab (docs/smp.md): every virtual CPU is a host thread; a
# breakpoint in a module's function hits on the CPU that runs it (a work
# item queued on CPU 1), $umlab_cpu() names that CPU, and umlab-cpus
# lists the threads with the CPU and task of each.
set -u
fail() { echo "FAIL: $*"; exit 1; }

b=$(scripts/build-dir.sh "${UMLAB_LINE:-}" "${UMLAB_PROFILE:-default}" 2 2>&1) || {
	echo "SKIP: needs an SMP kernel: $b"
	exit 4
}
[ -x "$b/kernel/linux" ] || { echo "SKIP: no SMP kernel in $b (make test builds it)"; exit 4; }
script=$(mktemp)
trap 'rm -f "$script"' EXIT
# shellcheck disable=SC2016 # gdb's $ names
printf '%s\n' 'break smprace_work_fn' run 'p $umlab_cpu()' umlab-cpus kill quit >"$script"
out=$(GDB_ARGS="-batch -x $script" timeout 100 ./run.sh --cpus 2 --gdb -- sh -c \
	"insmod /lab/$b/modules/smprace/smprace.ko && echo 1 > /sys/kernel/debug/smprace/work_on; rmmod smprace" 2>&1)
echo "$out" | grep -v '^\[' | tail -n 12
echo "$out" | grep -qE 'hit Breakpoint 1(\.[0-9]+)?, smprace_work_fn' || fail "the breakpoint in smprace_work_fn did not hit"
# shellcheck disable=SC2016 # gdb's $1
echo "$out" | grep -qx '\$1 = 1' || fail "\$umlab_cpu() at the breakpoint is not 1"
echo "$out" | grep -qE '^\* thread [0-9]+ +LWP [0-9]+ +CPU 1: kworker/1:' ||
	fail "umlab-cpus does not show the selected thread as CPU 1 running a kworker"
echo "$out" | grep -qE '^  thread 1 +LWP [0-9]+ +CPU 0: ' || fail "umlab-cpus does not show CPU 0"
echo "ok: a breakpoint hit on CPU 1, told apart from CPU 0"
