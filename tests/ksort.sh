#!/bin/sh
# where: guest
# ksort: /dev/ksort sorts what is written to it, checked against sort(1)
# and qsort(3), split across a workqueue or not; real errnos on bad input.
. tests/lib/module.sh
client=$MODDIR/ksort/user/ksort

load ksort/ksort
[ -c /dev/ksort ] || fail "/dev/ksort was not created by devtmpfs"
expect_dmesg "ksort: /dev/ksort ready"

# Given integers, against sort -n as the reference.
set -- 5 3 -9 100 0 42 42 -2147483648 2147483647 7
got=$("$client" "$@") || fail "ksort $*"
want=$(printf '%s\n' "$@" | sort -n)
expect_eq "ksort $*" "$(echo "$got" | tr '\n' ' ')" "$(echo "$want" | tr '\n' ' ')"
ok "sorted as sort -n does"

# Random arrays; the client checks each against qsort(3).
"$client" -n 1 || fail "one integer"
"$client" -n 1000 -s 3 || fail "1000 integers (one piece)"
"$client" -n 100000 -s 4 || fail "100000 integers (two halves on a workqueue)"
echo 0 > /sys/module/ksort/parameters/split_min
"$client" -n 3 -s 5 || fail "3 integers split in halves"
# descending: the right half runs out first, the left one's rest follows
got=$("$client" 9 8 7 6 5 4 3 2 1) || fail "ksort 9..1 split in halves"
expect_eq "ksort 9..1, split" "$(echo "$got" | tr '\n' ' ')" "1 2 3 4 5 6 7 8 9 "
echo 1000000 > /sys/module/ksort/parameters/split_min
"$client" -n 262144 -s 6 || fail "the largest array, in one piece"
ok "random arrays checked against qsort"

"$client" --errors || fail "error codes"
unload ksort
[ ! -e /dev/ksort ] || fail "/dev/ksort is still there after rmmod"
expect_dmesg "ksort: /dev/ksort removed"
