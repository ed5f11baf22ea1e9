#!/bin/sh
# where: guest
# simrupt: the byte sequence from the simulated interrupt arrives whole and
# in order, read() blocks or gives EAGAIN, the timer runs only while the
# device is open, and the module cannot be pulled from under a reader
# (a full kfifo: simrupt_drop.sh).
. tests/lib/module.sh
client=$MODDIR/simrupt/user/simrupt-read

# period_ms=0 is refused by init
if insmod "$MODDIR/simrupt/simrupt.ko" period_ms=0 2>/dev/null; then
	fail "insmod with period_ms=0 succeeded"
fi
expect_dmesg "simrupt: period_ms must be at least 1"

load simrupt/simrupt period_ms=1
[ -c /dev/simrupt ] || fail "/dev/simrupt was not created"
expect_dmesg "simrupt: /dev/simrupt ready"
test_dmesg | grep -q "simrupt: open" && fail "the timer started before any open"

"$client" --nonblock || fail "O_NONBLOCK"
"$client" 600 20 || fail "sequence of 600 bytes"
expect_dmesg "simrupt: open: interrupts every 1 ms"
expect_dmesg "simrupt: release: interrupts stopped (0 bytes dropped)"
ok "600 bytes in sequence"

# A reader blocked in read(): rmmod must neither hang nor crash.
cat /dev/simrupt > /dev/null &
reader=$!
sleep 1
if rmmod simrupt 2>/dev/null; then
	fail "rmmod succeeded under an open reader"
fi
grep -q "^simrupt " /proc/modules || fail "simrupt vanished under its reader"
kill "$reader"
wait "$reader" 2>/dev/null
unload simrupt
expect_dmesg "simrupt: unloaded"
ok "rmmod refused while a reader was open, done after it left"
