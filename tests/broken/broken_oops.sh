#!/bin/sh
# where: guest
# A test that loads broken_oops and unloads it, as a careless test would.
insmod "/lab/${UMLAB_BUILD:-build}/broken/broken_oops/broken_oops.ko" && rmmod broken_oops
