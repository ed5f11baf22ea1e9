#!/bin/sh
# where: guest
# A test that loads broken_init and unloads it, as a careless test would.
insmod "/lab/${UMLAB_BUILD:-build}/broken/broken_init/broken_init.ko" 
