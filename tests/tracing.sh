#!/bin/sh
# where: guest
# Tracing in the lab kernel: tracefs at /sys/kernel/tracing with the core
# kernel's events (sched, timer, irq and softirq, workqueue, module),
# trace_printk() from a module, trace_pipe, a buffer instance of its own,
# event filters and triggers.
. tests/lib/module.sh
T=/sys/kernel/tracing

[ -f $T/trace ] || fail "no tracefs at $T"
for e in sched/sched_switch sched/sched_wakeup sched/sched_process_exec \
	timer/timer_expire_entry timer/hrtimer_expire_entry irq/irq_handler_entry \
	irq/softirq_entry workqueue/workqueue_execute_start module/module_load \
	module/module_free; do
	[ -d "$T/events/$e" ] || fail "no $e event in $T/events"
done
ok "tracefs, and the core kernel's events"

# clean SYS/EVENT...: events off, their filters and triggers gone, buffer empty
clean() {
	echo 0 > $T/events/enable
	for e; do
		echo 0 > "$T/events/$e/filter"
		sed -n 's/^\([a-z][a-z_]*\).*/!\1/p' "$T/events/$e/trigger" |
			while read -r t; do echo "$t" > "$T/events/$e/trigger"; done
	done
	echo > $T/trace
	echo 1 > $T/tracing_on
}
trace() { grep -v '^#' $T/trace; }

# A module's life, in order, each event in the task that caused it.
clean
echo 1 > $T/events/module/enable
load hello/hello
unload hello
echo 0 > $T/events/enable
order=$(trace | sed -n 's/^ *\([a-z]*\)-[0-9]* .* \(module_load\|module_free\): \(hello\).*/\1:\2:\3/p' | tr '\n' ' ')
expect_eq "module events" "$order" "insmod:module_load:hello rmmod:module_free:hello "
ok "module_load in insmod, then module_free in rmmod"

# trace_printk() from a timer (softirq context), into the trace, not dmesg.
clean
load tprintk/tprintk ticks=5
sleep 1
# (read while the module is loaded: then its function names resolve)
n=$(trace | grep -c 'tprintk_tick: tick [1-5] of 5, in_softirq=1')
unload tprintk
expect_eq "trace_printk lines" "$n" 5
test_dmesg | grep -q 'tick 1 of 5' && fail "trace_printk() output went to the kernel log"
ok "trace_printk() output in the trace"

# trace_pipe: a reader takes the events as they come.
clean
echo 1 > $T/events/sched/sched_process_exec/enable
cat $T/trace_pipe > /tmp/pipe &
reader=$!
/bin/true
sleep 0.2
kill $reader
grep -q 'sched_process_exec: filename=/bin/true' /tmp/pipe ||
	fail "trace_pipe did not deliver the exec of /bin/true"
trace | grep -q 'filename=/bin/true' && fail "what trace_pipe read is still in the buffer"
ok "trace_pipe"

# A buffer instance of its own: its events do not reach the main buffer.
clean
mkdir $T/instances/lab || fail "cannot make an instance"
echo 1 > $T/instances/lab/events/sched/sched_process_exec/enable
/bin/true
grep -q 'filename=/bin/true' $T/instances/lab/trace || fail "the instance did not record"
trace | grep -q 'filename=/bin/true' && fail "the main buffer recorded the instance's event"
echo 0 > $T/instances/lab/events/enable
rmdir $T/instances/lab || fail "cannot remove the instance"
ok "instances/lab records alone"

# A filter: only the execs of one program.
e=sched/sched_process_exec
clean "$e"
echo 'filename ~ "*/true"' > "$T/events/$e/filter" || fail "the filter was refused"
echo 1 > "$T/events/$e/enable"
/bin/echo x > /dev/null
/bin/true
expect_eq "execs that passed the filter" "$(trace | grep -c 'sched_process_exec:')" 1
trace | grep -q 'filename=/bin/true' || fail "the filter dropped /bin/true"
ok "event filter"

# Triggers: a stack trace at each exec of true, tracing off at false (the
# exec path: exec_binprm, inlined into bprm_execve in 7.3).
clean "$e"
echo 'stacktrace if filename ~ "*/true"' > "$T/events/$e/trigger" || fail "stacktrace trigger refused"
echo 'traceoff if filename ~ "*/false"' > "$T/events/$e/trigger" || fail "traceoff trigger refused"
echo 1 > "$T/events/$e/enable"
/bin/true
/bin/false
/bin/echo after > /dev/null
expect_eq "tracing_on after the traceoff trigger" "$(cat $T/tracing_on)" 0
trace | grep -A20 '<stack trace>' | grep -qE '=> (exec_binprm|bprm_execve)' ||
	fail "no kernel stack from the stacktrace trigger"
trace | grep -q 'filename=/bin/echo' && fail "an event was recorded after traceoff"
clean "$e"
ok "stacktrace and traceoff triggers"
