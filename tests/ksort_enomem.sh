#!/bin/sh
# where: guest
# requires: CONFIG_FAILSLAB
# ksort_enomem: with failslab failing one allocation of the test's own task
# (task-filter), write() on /dev/ksort returns ENOMEM cleanly, the device
# works afterwards, and nothing leaks (kmemleak runs after every test).
. tests/lib/module.sh
d=/sys/kernel/debug/failslab

load ksort/ksort
echo Y > "$d/task-filter"	# only tasks with make-it-fail set
echo N > "$d/ignore-gfp-wait"	# GFP_KERNEL allocations may fail too
echo 100 > "$d/probability"
echo 1 > "$d/interval"
echo -1 > "$d/times"		# no limit: make-it-fail is the window
echo 0 > "$d/verbose"		# no stack dump: it would look like a bug
"$MODDIR/ksort/user/ksort" --enomem || fail "ksort --enomem"
echo 0 > "$d/probability"
unload ksort
