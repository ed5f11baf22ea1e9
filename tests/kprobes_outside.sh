#!/bin/sh
# where: guest
# time-travel: no
# kprobes on code that runs outside UML's kernel thread (kernel-config/
# patches/0004): UML's helper threads (ubd's I/O thread, winch, SIGIO) and a
# fresh guest process before it execs would take the breakpoint on a small
# stack beside the kernel, or stop as a traced child. Each such place is
# refused (all of UML's host-side code, and the kernel code those threads
# run); kretprobes are refused on functions that switch stacks or never
# return; probes that are allowed there are harmless: the guest keeps
# working (fork, sync, ls) and the counts of a probe stay exact. And a
# kretprobe keeps the flags a function returns with, or that its handler
# sets. In real time: helper threads and timers run as they would.
# shellcheck disable=SC2046,SC2086 # set -- $(...): the words are fields
. tests/lib/module.sh
T=/sys/kernel/tracing
E=$T/kprobe_events

# works: the guest still forks, execs, syncs and lists
works() {
	[ -n "$(ls /lab/tests)" ] || fail "$1: ls failed"
	sh -c true || fail "$1: fork and exec failed"
	sync || fail "$1: sync failed"
}

# refused KIND FUNC: a probe of KIND (p or r) on FUNC is refused as a
# blacklisted place (not as an unknown symbol)
refused() {
	grep -q " [tTwW] $2\$" /proc/kallsyms || fail "$2 is not a kernel symbol here"
	echo > $T/error_log
	if echo "$1:umlab_t $2" >> $E 2>/dev/null; then
		echo "-:umlab_t" >> $E
		fail "a $1 probe on $2 was accepted"
	fi
	grep -q "Failed to register probe event" $T/error_log ||
		fail "$1 $2 was refused, but not as a place kprobes may not go: $(cat $T/error_log)"
}

# 1. UML's host-side code, which its helper threads and fresh guest
# processes run: every function of it, and the kernel code they call; and
# the signal code a probe's own trap runs through (the signal mask's
# tracing wrappers; on 6.12 the IRQ stack switch too).
line_only=
case "$(uname -r)" in 6.12.*) line_only="to_irq_stack from_irq_stack" ;; esac
for f in os_sync_file os_falloc_punch os_falloc_zeroes os_read_file \
	os_write_file os_pread_file os_pwrite_file os_info os_warn \
	winch_thread userspace_tramp start_userspace helper_child \
	execvp_noalloc run_helper run_helper_thread write_sigio_thread \
	set_sigstack hard_handler sig_handler kprobe_trap get_regs_from_mc \
	stat_file userspace switch_threads \
	phys_mapping io_thread bulk_req_safe_read strlen strchr \
	block_signals_trace unblock_signals_trace $line_only arch_rethook_trampoline; do
	refused p $f
done
works "after the refusals"
# ubd's I/O thread's helpers are folded into it: no symbol to probe
for f in do_io update_bitmap map_error ubd_test_bit; do
	! grep -q " [tTwW] $f\$" /proc/kallsyms || fail "$f is a symbol of its own: probe-able outside the kernel thread"
done
ok "refused: UML's host-side code and the kernel code its helper threads and new processes run"

# 2. kretprobes on functions that return in another task, with another
# current, or never: refused. Plain kprobes there run in the kernel
# thread, and are allowed.
for f in __switch_to kernel_setjmp kernel_longjmp new_thread_handler fork_handler; do
	refused r $f
done
ok "refused: kretprobes that would return through another stack, or never"

# 3. Allowed and harmless: a probe on what every new guest process runs
# first in the kernel thread counts each fork exactly, while the helper
# threads (ubd, winch) run; one on every open counts exactly too; and one
# in the block path sees sync's requests. (hits EVENT: its hit count, read
# without starting a process, which would count as a fork)
hits() {
	while read -r name n _; do
		[ "$name" = "$1" ] && echo "$n" && return
	done < $T/kprobe_profile
}
echo 'p:umlab_fork fork_handler' >> $E || fail "a probe on fork_handler was refused"
echo 'p:umlab_ubd ubd_queue_rq' >> $E || fail "a probe on ubd_queue_rq was refused"
echo 'p:umlab_open do_sys_openat2' >> $E || fail "a probe on do_sys_openat2 was refused"
echo x > /tmp/outside-$$
echo 1 > $T/events/kprobes/umlab_fork/enable
for _ in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done
echo 0 > $T/events/kprobes/umlab_fork/enable
forks=$(hits umlab_fork)
echo 1 > $T/events/kprobes/umlab_open/enable
for _ in 1 2 3 4 5 6 7; do : < /tmp/outside-$$; done
echo 0 > $T/events/kprobes/umlab_open/enable	# an open too: the 8th
opens=$(hits umlab_open)
echo 1 > $T/events/kprobes/enable
works "with probes armed"
echo 0 > $T/events/kprobes/enable
expect_eq "fork_handler hits for 10 /bin/true" "$forks" 10
expect_eq "do_sys_openat2 hits for 7 opens and the disable" "$opens" 8
ubd=$(hits umlab_ubd)
[ "$ubd" -ge 1 ] || fail "no ubd request seen after sync"
echo > $E
rm /tmp/outside-$$
ok "allowed probes are harmless and exact: 10 forks, 8 opens; $ubd ubd requests; fork, ls, sync work"

# 4. The flags a function returns with, and those a handler sets, reach
# the caller through the kretprobe's trampoline.
load kprobes/kprobe_check
set -- $(cat /sys/kernel/debug/kprobe_check/flags)
expect_eq "carry flag as the kretprobe handler saw it" "$1" 1
expect_eq "carry flag as the caller saw it" "$2" 1
expect_eq "carry flag the handler cleared, as the caller saw it" "$3" 0
unload kprobe_check
ok "a kretprobe keeps the flags: the function's and the handler's"
