#!/bin/sh
# where: guest
# time-travel: needed
# simrupt with nobody reading for 100 s: the kfifo (one page) fills up, the
# oldest bytes are dropped, and the last close says how many. A byte comes
# every other timer tick (600 take 12 s): 82 s to fill, which only
# simulated time makes free.
. tests/lib/module.sh
load simrupt/simrupt period_ms=1
# shellcheck disable=SC2217 # the redirection opens it: the timer runs
sleep 100 < /dev/simrupt
test_dmesg | grep -q 'simrupt: release: interrupts stopped ([1-9][0-9]* bytes dropped)' ||
	fail "no bytes dropped after 100 s without a reader"
ok "a full kfifo drops bytes"
unload simrupt
