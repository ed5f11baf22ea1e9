#!/usr/bin/env bash
# where: host
# timeout: 200
# When a module breaks, the test's failure says why, decoded to the source:
# - a read that returns with its mutex held (tests/evidence/leakmtx), the
#   second reader blocked: the TIMEOUT shows the blocked task and its stack
#   from the still-running kernel (run.sh --timeout, sysrq w through UML's
#   management console), the module frame as function (file.c:LINE), and
#   with lockdep (the debug profile) the lock and who holds it, and the
#   hung-task detector's report (the debug profile, 5 s);
# - a NULL dereference in init, loaded with a plain sudo insmod, and one in
#   an ioctl from the module's own client (tests/evidence/badnull): the
#   panic names the faulting code, decoded to file.c:LINE.
set -u
fail() { echo "FAIL: $*"; exit 1; }

. tests/lib/outside.sh
work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$work"' EXIT
cp -r tests/evidence/leakmtx tests/evidence/badnull "$work/"
line_of() { grep -n -m1 -F -- "$2" "$1" | cut -d: -f1; }

# 1. The hang.
# (in the debug profile in real time, with the time to boot that kernel:
# time travel and the hung-task detector do not go together, and run.sh
# turns the detector off with time travel)
tt=1 limit=15
if [ "${UMLAB_PROFILE:-default}" = debug ]; then
	tt=0 limit=40
	sed -i "s/^# timeout: 15\$/# timeout: $limit/" "$work/leakmtx/umlab-test.sh"
fi
out=$(TIME_TRAVEL=$tt labmake test M="$work/leakmtx" 2>&1)
echo "$out"
echo "--- checking the run above"
echo "$out" | grep -qx "not ok 1 umlab-test # TIMEOUT after ${limit}s" || fail "no TIMEOUT"
echo "$out" | grep -q "run.sh: the guest did not finish within $limit s; what its kernel is doing:" ||
	fail "no word from the kernel before it was stopped"
echo "$out" | grep -qE 'task:cat +state:D' || fail "the blocked reader is not shown"
lock_line=$(line_of "$work/leakmtx/leakmtx.c" 'mutex_lock(&buf_lock);')
# (a return address: the line of the call, or the one after it)
echo "$out" | grep -qE "leakmtx_read \(.*/leakmtx/leakmtx\.c:($lock_line|$((lock_line + 1)))\) \[leakmtx\]" ||
	fail "the blocked reader's module frame is not leakmtx_read (leakmtx.c:$lock_line)"
if [ "${UMLAB_PROFILE:-default}" = debug ]; then
	echo "$out" | grep -qE '(1 lock held by cat/[0-9]+|locks held by cat/[0-9]+: 1,)' || fail "lockdep's report of the lock held is not shown"
	echo "$out" | grep -q 'buf_lock' || fail "the lock held, buf_lock, is not named"
	echo "$out" | grep -qE 'INFO: task cat:[0-9]+ blocked for more than 5 seconds' ||
		fail "the hung-task detector's report is not shown"
fi
echo "ok: a hang shows the blocked task, leakmtx_read (leakmtx.c:$lock_line), and the lock held"

# 2. NULL dereferences, loaded and called as the module's author would.
init_line=$(line_of "$work/badnull/badnull.c" 'return badnull_state->count;')
ioctl_line=$(line_of "$work/badnull/badnull.c" 'return badnull_state->count++;')
for t in init:badnull_init:$init_line ioctl:badnull_ioctl:$ioctl_line; do
	IFS=: read -r script fn line <<<"$t"
	out=$(labmake test M="$work/badnull" T="$script.sh" 2>&1) &&
		fail "$script: a NULL dereference passed"
	echo "$out" | grep -E 'Kernel mode fault|badnull'
	echo "$out" | grep -qE "Kernel mode fault at addr 0x[0-9a-f]+, ip $fn \(.*/badnull/badnull\.c:$line\) \[badnull\]" ||
		fail "$script: the fault is not decoded to $fn (badnull.c:$line)"
	echo "ok: a NULL dereference in $script is shown at $fn (badnull.c:$line)"
done
