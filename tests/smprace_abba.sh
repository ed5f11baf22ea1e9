#!/bin/sh
# where: guest
# cpus: 2
# timeout: 240
# requires: CONFIG_PROVE_LOCKING
# expect-bug: WARNING: possible circular locking dependency detected
# expect-bug: smprace/1(/[0-9]+)? is trying to acquire lock
# expect-bug: lock_a
# smprace's abba on two CPUs (the debug profile, docs/smp.md): the thread
# bound to CPU 0 takes lock_a then lock_b, then the one bound to CPU 1
# takes lock_b then lock_a. One after the other, so nothing deadlocks;
# lockdep reports the inversion all the same, naming CPU 1's thread.
. tests/lib/module.sh
load smprace/smprace
echo abba > /sys/kernel/debug/smprace/run || fail "echo abba failed"
expect_eq "abba's result" "$(cat /sys/kernel/debug/smprace/result)" \
	"abba: cpu0 took a then b, cpu1 b then a: 1 1"
unload smprace
