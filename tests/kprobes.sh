#!/bin/sh
# where: guest
# time-travel: no
# kprobes and kretprobes on UML (kernel-config/patches/0004; a probe's
# breakpoint is the byte 0xce, which the host answers with SIGILL): a probe on
# do_sys_openat2 counts exactly the opens of one file and sees its first
# argument, post handlers run, a kretprobe sees the return value (an fd,
# -ENOENT); 100 000 hits in a loop; every instruction of two functions
# probed in turn without changing what they compute; a probe in the timer
# interrupt; addresses that must be refused are; the enabled knob and the
# list in debugfs; and the original text is back after unload. In real
# time, so that timer interrupts (host SIGALRM) arrive while probes run.
# shellcheck disable=SC2046,SC2086,SC2016 # set -- $(cat ...): the words are fields; $arg1 is tracefs's
. tests/lib/module.sh
D=/sys/kernel/debug/kprobe_check
f=/tmp/kprobe-check

load kprobes/kprobe_check "path=$f"
before=$(test_dmesg | sed -n 's/.*counting opens of .*; before: \([0-9a-f]*\)$/\1/p')
set -- $(cat $D/bytes)
expect_eq "the first byte of do_sys_openat2 while probed" "$(echo "$1" | cut -c1-2)" ce
expect_eq "the bytes saved by the probe" "$2" "$before"
[ "$(echo "$before" | cut -c1-2)" != ce ] || fail "the probe saved its own breakpoint byte"

# Five opens of the file, the last one failing: counted exactly.
echo x > $f
cat $f > /dev/null
cat $f > /dev/null
exec 3< $f
rm $f
cat $f 2>/dev/null
counts=$(cat $D/counts)
echo "$counts"
set -- $counts
expect_eq "pre handler hits" "$2" 5
expect_eq "post handler hits" "$4" 5
expect_eq "kretprobe hits" "$6" 5
expect_eq "first argument (dfd)" "$8" -100
expect_eq "last return value (ENOENT)" "${10}" -2
exec 3<&-
ok "the opens of $f: 5 pre, 5 post, 5 returns, dfd AT_FDCWD, -ENOENT"

# The return value of a successful open: the fd it got, cat's first: 3.
echo y > $f
cat $f > /dev/null
set -- $(cat $D/counts)
expect_eq "return value of cat's open" "${10}" 3
rm $f
ok "kretprobe: the return value is the fd"

echo 100000 > $D/loop || fail "the loop of 100000 calls failed"
set -- $(cat $D/counts)
expect_eq "hits in the loop" "${14}" 100000
ok "100000 hits in a loop"

for fn in target gcd; do
	echo $fn > $D/walk || fail "probing every instruction of $fn changed its result: $(cat $D/walk)"
	cat $D/walk
	set -- $(cat $D/walk)
	[ "$2" -ge 20 ] || fail "$fn: only $2 instructions probed"
	[ "$7" -ge 1 ] || fail "$fn: no hits"
	[ "${12}" -ge 1 ] || fail "$fn: no offset inside an instruction was refused"
done
ok "every instruction of a module function and of gcd(), probed in turn"

sleep 0.3
set -- $(cat $D/counts)
[ "${16}" -ge 10 ] || fail "only ${16} timer ticks seen by the probe on update_process_times"
ok "a probe in the timer interrupt: ${16} ticks"

# Refused: inside an instruction, and the way UML's signals come in.
echo do_sys_openat2+1 > $D/try 2>/dev/null && fail "a probe inside an instruction was accepted"
expect_dmesg "register_kprobe(do_sys_openat2+1) = -84"
echo hard_handler > $D/try 2>/dev/null && fail "a probe on hard_handler was accepted"
expect_dmesg "register_kprobe(hard_handler+0) = -22"
ok "refused: inside an instruction (EILSEQ), UML's signal path (EINVAL)"

L=/sys/kernel/debug/kprobes
grep -q ' k  do_sys_openat2+0x0' $L/list || fail "the kprobe is not in $L/list"
grep -q ' r  do_sys_openat2+0x0' $L/list || fail "the kretprobe is not in $L/list"
echo 0 > $L/enabled
cat /etc/hostname > $f
cat $f > /dev/null
echo 1 > $L/enabled
set -- $(cat $D/counts)
expect_eq "pre handler hits, probes disabled for two opens" "$2" 7
cat $f > /dev/null
rm $f
set -- $(cat $D/counts)
expect_eq "pre handler hits, enabled again" "$2" 8
ok "$L/list and $L/enabled"

unload kprobe_check
load kprobes/kprobe_check
again=$(test_dmesg | sed -n 's/.*counting opens of .*; before: \([0-9a-f]*\)$/\1/p' | tail -n 1)
expect_eq "do_sys_openat2's bytes after unload and reload" "$again" "$before"
unload kprobe_check
ok "the original text is back after rmmod"

# The simple example: pre and post handlers around kernel_clone.
load kprobes/kprobe_example
true &
wait
unload kprobe_example
expect_dmesg "kprobe_example: <kernel_clone> pre_handler: sh"
expect_dmesg "kprobe_example: <kernel_clone> post_handler: sh"
ok "kprobe_example on kernel_clone"

# kprobe events from tracefs: an entry probe with its arguments, a return
# probe with the return value.
T=/sys/kernel/tracing
echo 'p:umlab_open do_sys_openat2 dfd=$arg1:s32 file=+0($arg2):ustring' > $T/kprobe_events ||
	fail "kprobe_events refused the entry probe"
echo 'r:umlab_open_ret do_sys_openat2 ret=$retval:s32' >> $T/kprobe_events ||
	fail "kprobe_events refused the return probe"
echo 1 > $T/events/kprobes/enable
echo z > $f
cat $f > /dev/null
rm $f
echo 0 > $T/events/kprobes/enable
grep -A1 "umlab_open: (do_sys_openat2+0x0/[0-9a-fx]*) dfd=-100 file=\"$f\"" $T/trace | tail -n 1 > /tmp/ret
grep -q 'umlab_open_ret: (.* <- do_sys_openat2) ret=' /tmp/ret ||
	{ grep -v '^#' $T/trace | tail; fail "no kprobe events for the opens of $f"; }
grep -q "cat-[0-9]* .* umlab_open: .* file=\"$f\"" $T/trace || fail "no event for cat's open of $f"
echo > $T/kprobe_events
ok "kprobe events: \$arg1, a user string, \$retval"
