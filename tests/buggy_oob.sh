#!/bin/sh
# where: guest
# requires: CONFIG_KASAN
# expect-bug: BUG: KASAN: slab-out-of-bounds in buggy_oob_fill
# buggy_oob: KASAN catches a write one past the end of an array.
. tests/lib/module.sh
load buggy/buggy_oob
unload buggy_oob
