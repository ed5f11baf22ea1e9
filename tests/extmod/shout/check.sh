#!/bin/bash
# make check: load the module, run the client, unload; exit 0 on success.
set -e
cd "$(dirname "$0")"
sudo insmod ./shout.ko
trap 'sudo rmmod shout' EXIT
test -c /dev/shout
./client
./client "Kernel Space"
# a message longer than the buffer is refused with EFBIG
if head -c 300 /dev/zero | tr '\0' x > /dev/shout 2>/dev/null; then
	echo "check: a 300-byte write was accepted" >&2
	exit 1
fi
grep -q '^shout ' /proc/modules
echo "check: PASS"
