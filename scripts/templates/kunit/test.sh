#!/bin/sh
# where: guest
# @NAME@: loads, says so, its KUnit suite passes (the runner shows each
# case), and both unload. Exercise the module here too: its device, sysfs
# or debugfs files, and what the kernel logs.
. tests/lib/module.sh

load @NAME@/@NAME@
expect_dmesg "@NAME@: loaded, 10"
load @NAME@/@NAME@_kunit
grep -q '^ok 1 @NAME@$' /sys/kernel/debug/kunit/@NAME@/results ||
	fail "the KUnit suite: $(cat /sys/kernel/debug/kunit/@NAME@/results)"
unload @NAME@_kunit
unload @NAME@
expect_dmesg "@NAME@: unloaded"
