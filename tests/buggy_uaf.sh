#!/bin/sh
# where: guest
# requires: CONFIG_KASAN
# expect-bug: BUG: KASAN: slab-use-after-free in buggy_uaf_init
# buggy_uaf: KASAN catches a read of freed memory and names the function.
. tests/lib/module.sh
load buggy/buggy_uaf
unload buggy_uaf
