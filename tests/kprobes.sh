#!/bin/sh
# where: guest
# kprobes: handlers run before and after a probed kernel function. UML 6.12
# has no kprobes, so here this reports SKIP with the reason.
. tests/lib/module.sh

if ! grep -q '^CONFIG_KPROBES=y' "/lab/${UMLAB_BUILD:-build}/kernel/.config"; then
	skip "UML 6.12 has no kprobes (arch/um does not select HAVE_KPROBES)"
fi
load kprobes/kprobe_example symbol=kernel_clone
expect_dmesg "kprobe_example: planted a kprobe at kernel_clone"
true &
wait
expect_dmesg "<kernel_clone> pre_handler"
expect_dmesg "<kernel_clone> post_handler"
unload kprobe_example
