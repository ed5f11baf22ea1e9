#!/usr/bin/env bash
# where: host
# requires: CONFIG_PROVE_LOCKING
# An instance stopped by a signal (TERM: how the runner stops a test past
# its time, and run.sh a guest after Ctrl-C) tears down without reports
# of its own: UML's exit calls run from the host's signal handler, and a
# kernel with lockdep and DEBUG_ATOMIC_SLEEP reported their context as a
# WARNING and a "BUG: sleeping function called from invalid context" on
# every such stop (kernel-config/patches/0008).
set -u
fail() { echo "FAIL: $*"; exit 1; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
./run.sh -- sh -c 'echo guest-up; sleep 60' >"$out" 2>&1 &
pid=$!
for _ in $(seq 300); do
	grep -q guest-up "$out" && break
	sleep 0.1
done
grep -q guest-up "$out" || fail "the guest did not come up: $(cat "$out")"
sleep 0.5
kill -TERM "$pid"
wait "$pid"
rc=$?
cat "$out"
[ "$rc" -eq 143 ] || fail "run.sh exited $rc after TERM, not 143"
! grep -qE 'BUG:|WARNING:|Call Trace|lockdep' "$out" ||
	fail "the teardown printed kernel reports"
echo "ok: a guest stopped by TERM tears down without kernel reports"
