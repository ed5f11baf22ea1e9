#!/bin/sh
# where: guest
# hello: messages on load and unload, parameters in sysfs, a bad parameter
# refused by init.
. tests/lib/module.sh

load hello/hello whom=lab times=2
expect_dmesg "hello: hello, lab (1 of 2)"
expect_dmesg "hello: hello, lab (2 of 2)"
expect_eq "whom in sysfs" "$(cat /sys/module/hello/parameters/whom)" lab
expect_eq "times in sysfs" "$(cat /sys/module/hello/parameters/times)" 2
echo 3 > /sys/module/hello/parameters/times || fail "times is not writable"
expect_eq "times after a write" "$(cat /sys/module/hello/parameters/times)" 3
if echo x > /sys/module/hello/parameters/whom 2>/dev/null; then
	fail "whom (0444) was writable"
fi
unload hello
expect_dmesg "hello: goodbye, lab"
ok "load, parameters, unload"

# init returning -EINVAL: insmod fails and nothing stays loaded
if insmod "$MODDIR/hello/hello.ko" times=0 2>/dev/null; then
	fail "insmod with times=0 succeeded"
fi
expect_dmesg "hello: times=0 is out of range 1..10"
[ ! -e /sys/module/hello ] || fail "a module whose init failed stayed loaded"
ok "times=0 refused by init"
