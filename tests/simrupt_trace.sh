#!/bin/sh
# where: guest
# simrupt seen through tracing: the kernel's events and simrupt's own show
# each byte's way, in order and each step in its context: the timer fires
# in softirq context (timer_expire_entry), the top half runs with
# interrupts off (simrupt_irq), the BH work runs in softirq context from
# the tasklet softirq (softirq_entry, workqueue_execute_start simrupt_bh)
# and queues the mover, which runs in a kworker, in process context
# (simrupt_move), and wakes the reader, who gets the bytes in its own
# process (sched_wakeup, simrupt_read). Byte values follow on without a
# gap from stage to stage.
. tests/lib/module.sh
T=/sys/kernel/tracing
client=$MODDIR/simrupt/user/simrupt-read

load simrupt/simrupt period_ms=1
# simrupt's own events, as TRACE_EVENT() in simrupt_trace.h declares them
for f in "u8 byte" "unsigned int head" "bool dropped"; do
	grep -q "field:$f;" $T/events/simrupt/simrupt_irq/format ||
		fail "simrupt_irq has no field '$f'"
done
grep -q '^print fmt: "byte=%u head=%u%s"' $T/events/simrupt/simrupt_irq/format ||
	fail "simrupt_irq's format is not its TP_printk"
echo 0 > $T/tracing_on
echo > $T/trace
echo 4096 > $T/buffer_size_kb
for e in timer/timer_expire_entry irq/softirq_entry workqueue/workqueue_queue_work \
	workqueue/workqueue_execute_start workqueue/workqueue_execute_end \
	sched/sched_wakeup simrupt; do
	echo 1 > "$T/events/$e/enable" || fail "cannot enable $e"
done
echo 1 > $T/tracing_on
"$client" 200 20 || fail "simrupt-read"
echo 0 > $T/tracing_on
echo 0 > $T/events/enable
# (before rmmod: the buffer is reset when a module whose events it holds goes)
grep -v '^#' $T/trace > /tmp/simrupt.trace
unload simrupt
echo "$(wc -l < /tmp/simrupt.trace) events recorded"

# The trace's lines: TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS. FLAGS:
# irqs off ("d"), need-resched, hard/soft irq ("h"/"s"), preempt depth,
# migrate-disable. Each step must follow the step before it.
awk '
function bad(why) { printf "out of order or context at line %d: %s\n  %s\n", NR, why, $0; err = 1; exit 1 }
{
	task = $1; flags = $3
	ev = ""; for (i = 4; i <= NF; i++) if ($i ~ /^[a-z_]+:$/ && $(i-1) ~ /:$/) { ev = $i; break }
	sub(/:$/, "", ev)
	irqoff = substr(flags, 1, 1) == "d"; ctx = substr(flags, 3, 1)
}
ev == "timer_expire_entry" && /function=simrupt_interrupt/ {
	if (ctx != "s") bad("the timer callback not in softirq context")
	fired++; timer = 1; next
}
ev == "simrupt_irq" {
	if (!timer) bad("simrupt_irq without the timer firing first")
	if (!irqoff) bad("the top half ran with interrupts on")
	split($0, f, "byte="); byte = f[2] + 0
	if (irqs && byte != (last_irq + 1) % 256) bad("byte " byte " after " last_irq)
	if (!irqs && byte != 0) bad("the sequence does not start at 0")
	last_irq = byte; irqs++; timer = 0; pending_bh = 1; next
}
ev == "softirq_entry" && /action=TASKLET/ { tasklet = 1; next }
ev == "softirq_entry" { tasklet = 0; next }
ev == "workqueue_execute_start" && /function[= ]simrupt_bh/ {
	if (!pending_bh) bad("the bottom half ran without a top half before it")
	if (ctx != "s" || !tasklet) bad("the bottom half not in the tasklet softirq")
	bh++; pending_bh = 0; in_bh = 1; next
}
ev == "workqueue_queue_work" && /function=simrupt_move/ {
	if (!in_bh) bad("simrupt_move queued from outside the bottom half")
	queued = 1; next
}
ev == "workqueue_execute_end" && /function[= ]simrupt_bh/ { in_bh = 0; next }
ev == "workqueue_execute_start" && /function[= ]simrupt_move/ {
	if (!queued) bad("simrupt_move ran without being queued")
	if (ctx != "." || task !~ /^kworker/) bad("simrupt_move not in a kworker, in process context")
	queued = 0; mover = 1; next
}
ev == "simrupt_move" {
	if (!mover) bad("a simrupt_move event outside the work function")
	split($0, f, "first="); first = f[2] + 0
	split($0, f, "last="); last = f[2] + 0
	if (moves && first != (last_moved + 1) % 256) bad("moved " first " after " last_moved)
	last_moved = last; moves++; moved = 1; next
}
ev == "workqueue_execute_end" && /function[= ]simrupt_move/ { mover = 0; next }
ev == "sched_wakeup" && /comm=simrupt-read/ { woken++; next }
ev == "simrupt_read" {
	if (task !~ /^simrupt-read/) bad("simrupt_read in " task ", not the reader")
	if (!moved) bad("a read before any bytes were moved")
	split($0, f, "first="); first = f[2] + 0
	split($0, f, "copied="); copied = f[2] + 0
	if (first != read_bytes % 256) bad("the reader got byte " first " at offset " read_bytes)
	read_bytes += copied; reads++; next
}
END {
	if (err) exit 1
	printf "%d timer firings, %d top halves, %d bottom halves, %d moves, %d wakeups, %d reads of %d bytes\n",
		fired, irqs, bh, moves, woken, reads, read_bytes
	if (irqs < 200 || bh < 1 || moves < 1 || woken < 1 || read_bytes < 200) {
		print "a step is missing"; exit 1
	}
}' /tmp/simrupt.trace || {
	head -n 40 /tmp/simrupt.trace
	fail "the trace does not show the path in order"
}
ok "timer -> top half (irqs off) -> BH in softirq -> kworker -> reader, in order"
