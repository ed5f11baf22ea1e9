#!/bin/sh
# where: guest
# requires: CONFIG_DEBUG_KMEMLEAK
# expect-bug: unreferenced object .*\(size 256\)
# expect-bug: <- buggy_leak_init at .*buggy_leak\.c
# buggy_leak: kmemleak finds the table the module forgot to free, and the
# report (made after rmmod) is resolved to the function that allocated it.
. tests/lib/module.sh
load buggy/buggy_leak
unload buggy_leak
