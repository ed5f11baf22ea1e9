#!/bin/sh
# where: guest
# Dynamic debug: a module's pr_debug() lines are off by default, on with
# insmod ... dyndbg=+p, and switched on and off while it is loaded through
# /proc/dynamic_debug/control.
. tests/lib/module.sh
C=/proc/dynamic_debug/control
[ -w $C ] || fail "no $C"

load hello/hello
unload hello
test_dmesg | grep -q 'hello: init: whom=' && fail "pr_debug printed without being switched on"
ok "pr_debug off by default"

load hello/hello whom=dyn dyndbg=+p
expect_dmesg "hello: init: whom=dyn times=1"
grep -q 'hello.c:[0-9]* \[hello\]hello_init =p ' $C || fail "$C does not show hello_init's line on"
unload hello
expect_dmesg "hello: exit: greeted 1 times"
ok "insmod hello.ko dyndbg=+p"

load hello/hello whom=ctl times=2
test_dmesg | grep -q 'whom=ctl times=2' && fail "dyndbg=+p outlived the module"
echo 'module hello func hello_exit +p' > $C || fail "the control file refused a query"
unload hello
expect_dmesg "hello: exit: greeted 2 times"
ok "switched on through $C"
