#!/bin/sh
# x86chr's check: load, read the greeting, unload.
set -e
sudo insmod x86chr.ko
got=$(sudo cat /dev/x86chr)
sudo rmmod x86chr
[ "$got" = "hello from x86chr" ] || { echo "check: read '$got'"; exit 1; }
echo "check: PASS"
