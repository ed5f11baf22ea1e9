#!/bin/sh
# x86chr's check: load, read the greeting, unload.
set -e
insmod x86chr.ko
got=$(cat /dev/x86chr)
rmmod x86chr
[ "$got" = "hello from x86chr" ] || { echo "check: read '$got'"; exit 1; }
echo "check: PASS"
