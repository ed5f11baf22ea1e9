#!/bin/sh
# where: guest
# A test that logs more than the kernel's log buffer holds: the start of
# its run is gone from the log when the runner checks it for trouble, and
# the runner must say so (fail), not pass what it could not see.
pad=$(printf '%0400d' 0)
i=0
while [ "$i" -lt 600 ]; do
	echo "log_wrap: line $i $pad" > /dev/kmsg	# a new open each time: no ratelimit
	i=$((i + 1))
done
