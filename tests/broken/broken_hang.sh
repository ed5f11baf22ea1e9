#!/bin/sh
# where: guest
# timeout: 1
# A test that loads broken_hang, which never returns.
insmod "/lab/${UMLAB_BUILD:-build}/broken/broken_hang/broken_hang.ko"
