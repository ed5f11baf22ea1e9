#!/bin/sh
# where: guest
# A test that loads broken_warn and unloads it, as a careless test would.
insmod "/lab/${UMLAB_BUILD:-build}/broken/broken_warn/broken_warn.ko" && rmmod broken_warn
