#!/usr/bin/env bash
# where: host
# timeout: 120
# The runner catches broken modules: an init that fails, an oops, a
# warning (shown first however long the test talks on), an endless loop,
# a log that wrapped past the test's start, and an expected bug followed
# by a hang each fail their test, named, with the evidence shown, and
# none of the lab's own noise; a test that needs time travel is skipped
# without it; the run
# goes on to the next test; and the KTAP it prints is what the kernel's
# own kunit.py parser accepts.
set -u
fail() { echo "FAIL: $*"; exit 1; }

# Build the broken modules of tests/broken/ against the lab kernel, in
# build/broken/.
b=${UMLAB_BUILD:-build}
for src in tests/broken/*/; do
	name=$(basename "$src")
	out=$b/broken/$name
	# up to date: skip Kbuild, which takes a second even with nothing to do
	[ -z "$(find "$src" "$b/kernel/linux" -newer "$out/$name.ko" 2>/dev/null)" ] &&
		[ -f "$out/$name.ko" ] && continue
	scripts/build-module.sh "$b/kernel" "$src" "$out" >/dev/null ||
		fail "building $name"
done

log=build/tests/runner.ktap
UMLAB_TESTS_DIR=tests/broken UMLAB_LOG_DIR=$PWD/build/tests/runner \
	tests/lib/run-tests.sh >"$log" 2>&1
rc=$?
cat "$log"
echo "--- checking the run above"

[ "$rc" -ne 0 ] || fail "the runner passed a run with broken modules"
grep -qx '1..7' "$log" || fail "no plan line for 7 tests"
grep -q '^not ok 1 broken_hang # TIMEOUT after 1s$' "$log" || fail "the hang was not reported as a TIMEOUT"
grep -q '^not ok 2 broken_init$' "$log" || fail "the failing init was not reported"
grep -q '^# insmod: .*broken_init.ko' "$log" || fail "insmod's error for broken_init not shown"
grep -q '^not ok 3 broken_oops$' "$log" || fail "the oops was not reported"
grep -q '^# .*Kernel panic\|^# .*Kernel mode fault' "$log" || fail "no oops evidence shown"
grep -q '^not ok 4 broken_warn$' "$log" || fail "the warning was not reported"
grep -q '^# .*WARNING: .*broken_warn' "$log" ||
	fail "no WARNING evidence shown (the test talks on for 100 lines after it)"
# the lab's own complaints are not a test's: UML's about tty1's file,
# kmemleak's count of what is mostly the core kernel's (the debug profile)
! grep -E '^# .*(epollctl|kmemleak: [0-9]+ new suspected)' "$log" ||
	fail "the lab's own noise is in the tests' results"
grep -q '^ok 5 fine$' "$log" || fail "the good test after the broken ones did not run or pass"
grep -q '^not ok 6 log_wrap$' "$log" || fail "a test whose log wrapped passed"
grep -q '^# umlab: the kernel log wrapped while .*log_wrap.sh ran' "$log" ||
	fail "no reason given for the wrapped log"
grep -q '^not ok 7 warn_then_hang # TIMEOUT after 2s$' "$log" ||
	fail "a test that reported the expected bug, then hung, was not a TIMEOUT"
grep -qx '1 passed, 6 failed, 0 skipped' "$log" || fail "wrong summary line"

# The kernel's KTAP parser agrees.
kunit=$b/kernel/source/tools/testing/kunit/kunit.py
[ -f "$kunit" ] || fail "no $kunit in the kernel tree"
parsed=$(grep -v -E '^[0-9]+ passed, ' "$log" | python3 "$kunit" parse 2>&1)
echo "$parsed" | tail -n 4
echo "$parsed" | grep -q 'Testing complete. Ran 7 tests: passed: 1, failed: 6' ||
	fail "kunit.py parse did not read 7 tests, 1 passed, 6 failed"

# A test that needs simulated time (# time-travel: needed): a 100 s sleep
# passes in no time under time travel, and is skipped, said why, without.
tt=build/tests/runner-tt
rm -rf "$tt"
mkdir -p "$tt/tests" || fail "cannot make $tt"
printf '%s\n' '#!/bin/sh' '# time-travel: needed' 'sleep 100' >"$tt/tests/slept.sh"
for mode in 1 0; do
	TIME_TRAVEL=$mode UMLAB_TESTS_DIR=$tt/tests UMLAB_LOG_DIR=$PWD/$tt/logs \
		tests/lib/run-tests.sh >"$tt/out.$mode" 2>&1
	cat "$tt/out.$mode"
done
grep -qx 'ok 1 slept' "$tt/out.1" || fail "a time-travel: needed test did not pass under time travel"
grep -qx 'ok 1 slept # SKIP needs time travel, which TIME_TRAVEL=0 turns off' "$tt/out.0" ||
	fail "a time-travel: needed test was not skipped in real time"
rm -rf "$tt"
echo "runner ok"
