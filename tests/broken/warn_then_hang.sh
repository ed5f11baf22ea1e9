#!/bin/sh
# where: guest
# timeout: 2
# expect-bug: WARNING: .*broken_warn
# The expected report comes, then the test never ends: past its time it
# fails as a TIMEOUT; the report does not make it pass.
insmod "/lab/${UMLAB_BUILD:-build}/broken/broken_warn/broken_warn.ko" && rmmod broken_warn
while :; do :; done
