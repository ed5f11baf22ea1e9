#!/bin/sh
# where: guest
# A test that loads broken_warn and unloads it, as a careless test would,
# then goes on talking: the warning is long out of the last lines of its
# output, and the runner's evidence still leads with it.
insmod "/lab/${UMLAB_BUILD:-build}/broken/broken_warn/broken_warn.ko" && rmmod broken_warn
i=0
while [ $i -lt 100 ]; do
	echo "broken_warn.sh: step $i"
	i=$((i + 1))
done
