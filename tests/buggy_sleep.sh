#!/bin/sh
# where: guest
# expect-bug: BUG: sleeping function called from invalid context
# expect-bug: buggy_sleep_add
# buggy_sleep: an allocation that may sleep, under a spinlock, is reported.
. tests/lib/module.sh
require_config CONFIG_DEBUG_ATOMIC_SLEEP
load buggy/buggy_sleep
unload buggy_sleep
