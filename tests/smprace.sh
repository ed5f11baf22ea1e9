#!/bin/sh
# where: guest
# cpus: 2
# timeout: 240
# smprace on two CPUs (docs/smp.md): two kthreads, one bound to each CPU,
# add to one counter. Without a lock updates are lost; with a spinlock or
# an atomic_t the count is exact; per-CPU counters count each CPU's share.
# A work item queued on a CPU runs there; busy items on an unbound
# workqueue run on both CPUs.
# shellcheck disable=SC2046,SC2086 # set -- $(...): the words are fields
. tests/lib/module.sh
d=/sys/kernel/debug/smprace

expect_eq "online CPUs" "$(nproc)" 2
# With the debug profile's checks on every access, in real time, a run
# of this takes minutes and the race is rarely seen: its SMP test there is
# smprace_abba (lockdep).
case "$UMLAB_BUILD" in */debug) skip "the debug profile's SMP test is smprace_abba" ;; esac
# (a million increments each: long enough to overlap even when the host
# runs both virtual CPUs on one core, as it may while another test runs)
load smprace/smprace loops=1000000

# run MODE: sets expected, got, lost, cpu0, cpu1 from the result
run() {
	echo "$1" > $d/run || fail "echo $1 > $d/run failed"
	set -- $(cat $d/result)
	# mode M expected N got N lost N per-cpu hits cpu0 N cpu1 N sum N
	expected=$4 got=$6 lost=$8 cpu0=${12} cpu1=${14}
	echo "$1 $2: expected $expected, got $got, lost $lost; per CPU $cpu0 + $cpu1"
	expect_eq "$2: CPU 0's share" "$cpu0" $((expected / 2))
	expect_eq "$2: CPU 1's share" "$cpu1" $((expected / 2))
}

# a race is a matter of timing: up to three tries to see it
for try in 1 2 3; do
	run none
	[ "$lost" -eq 0 ] || break
done
[ "$lost" -gt 0 ] || fail "no update lost without a lock in $try tries ($got of $expected): were both CPUs running?"
ok "without a lock, $lost of $expected updates lost"
run spinlock
expect_eq "count with a spinlock" "$got" "$expected"
run atomic
expect_eq "count with an atomic_t" "$got" "$expected"
ok "exact with a spinlock and with an atomic_t; per-CPU counters exact"

for cpu in 0 1; do
	echo $cpu > $d/work_on || fail "queue_work_on($cpu) failed"
	set -- $(cat $d/result)
	expect_eq "CPU a work item queued on CPU $cpu ran on" "$9" $cpu
done
ok "queue_work_on: each item ran on its CPU"

echo 8 > $d/unbound || fail "the unbound items failed"
set -- $(cat $d/result)
echo "unbound: $*"
{ [ "$7" -gt 0 ] && [ "$9" -gt 0 ]; } || fail "8 busy unbound items did not use both CPUs: $*"
expect_eq "unbound items run" $(($7 + $9)) 8
ok "an unbound workqueue ran busy items on both CPUs"
unload smprace
