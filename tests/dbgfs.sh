#!/bin/sh
# where: guest
# dbgfs: a debugfs directory whose values round-trip through its files.
. tests/lib/module.sh
d=/sys/kernel/debug/dbgfs

load dbgfs/dbgfs
[ -d "$d" ] || fail "$d was not created"
expect_eq "counter at load" "$(cat $d/counter)" 0
echo 42 > "$d/counter" || fail "writing counter"
expect_eq "counter after a write" "$(cat $d/counter)" 42
expect_eq "message at load" "$(cat $d/message)" empty
echo "hello from the lab" > "$d/message" || fail "writing message"
expect_eq "message after a write" "$(cat $d/message)" "hello from the lab"
expect_eq "counter counts message writes" "$(cat $d/counter)" 43

long=$(printf '%065d' 0)
if printf '%s' "$long" > "$d/message" 2>/dev/null; then
	fail "a 65-byte message was accepted"
fi
expect_eq "message after a refused write" "$(cat $d/message)" "hello from the lab"
ok "values round-trip, oversized write refused"

unload dbgfs
[ ! -e "$d" ] || fail "$d is still there after rmmod"
expect_dmesg "dbgfs: removed, counter was 43"
