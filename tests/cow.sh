#!/usr/bin/env bash
# where: host
# A run writes to its own copy-on-write layer: the base rootfs image is never
# modified, and what one run wrote to / is gone in the next.
set -u
fail() { echo "FAIL: $*"; exit 1; }

base=build/rootfs.ext4
sum_before=$(sha256sum "$base" | cut -d' ' -f1)
mtime_before=$(stat -c %Y "$base")

./run.sh -- sh -c 'echo scribble > /scribble && dd if=/dev/zero of=/big bs=1M count=8 2>/dev/null && sync && cat /scribble' |
	grep -q scribble || fail "the guest could not write to /"
./run.sh -- sh -c 'test ! -e /scribble && test ! -e /big' ||
	fail "a file written in one run is still there in the next"

[ "$(sha256sum "$base" | cut -d' ' -f1)" = "$sum_before" ] || fail "$base changed"
[ "$(stat -c %Y "$base")" = "$mtime_before" ] || fail "$base mtime changed"

# Two instances side by side, each with its own layer.
./run.sh -- sh -c 'echo one > /who; sleep 0.3; cat /who' >build/tests/cow.a &
./run.sh -- sh -c 'echo two > /who; sleep 0.3; cat /who' >build/tests/cow.b &
wait
{ [ "$(tr -d '\r' <build/tests/cow.a)" = one ] && [ "$(tr -d '\r' <build/tests/cow.b)" = two ]; } ||
	fail "two instances side by side saw each other's writes"
rm -f build/tests/cow.a build/tests/cow.b
echo "cow ok"
