#!/bin/sh
# where: guest
# requires: CONFIG_DEBUG_ATOMIC_SLEEP
# expect-bug: BUG: sleeping function called from invalid context
# expect-bug: buggy_sleep_add
# buggy_sleep: an allocation that may sleep, under a spinlock, is reported.
. tests/lib/module.sh
load buggy/buggy_sleep
unload buggy_sleep
