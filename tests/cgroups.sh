#!/bin/sh
# where: guest
# cgroup v2 at /sys/fs/cgroup with the memory, pids and cpu controllers: a
# memory limit ends a process that goes over it (the OOM kill counted in
# memory.events), and a pids limit refuses a fork.
. tests/lib/module.sh
G=/sys/fs/cgroup
hog=/lab/build/progs/memhog

grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || fail "no cgroup2 at $G"
for c in memory pids cpu; do
	grep -qw "$c" $G/cgroup.controllers || fail "no $c controller"
	grep -qw "$c" $G/cgroup.subtree_control || fail "$c is not enabled for child cgroups"
done
ok "cgroup2 with memory, pids and cpu"

# memory: 16 MiB allowed, 64 MiB wanted, no swap to go to
mkdir $G/mem || fail "cannot make a cgroup"
echo 16M > $G/mem/memory.max
out=$(sh -c "echo \$\$ > $G/mem/cgroup.procs && exec $hog 64" 2>&1)
rc=$?
echo "$out" | tail -n 2
expect_eq "memhog's end" "$rc" 137
last=$(echo "$out" | sed -n 's/^memhog: \([0-9]*\) MiB$/\1/p' | tail -n 1)
{ [ "${last:-0}" -ge 4 ] && [ "$last" -le 16 ]; } || fail "memhog got to $last MiB under a 16 MiB limit"
kills=$(sed -n 's/^oom_kill //p' $G/mem/memory.events)
expect_eq "oom_kill in memory.events" "$kills" 1
[ "$(cat $G/mem/memory.peak)" -le $((16 * 1024 * 1024)) ] || fail "memory.peak above memory.max"
rmdir $G/mem || fail "cannot remove the cgroup"
ok "memory.max: killed at $last MiB of 64, oom_kill counted"

# pids: three tasks at most, the shell and two children
mkdir $G/pids
echo 3 > $G/pids/pids.max
out=$(sh -c "echo \$\$ > $G/pids/cgroup.procs
	for i in 1 2 3; do sleep 1 & done; wait; echo all three started" 2>&1)
echo "$out"
echo "$out" | grep -q "can't fork" || fail "a fork over pids.max was allowed"
[ "$(sed -n 's/^max //p' $G/pids/pids.events)" -ge 1 ] || fail "pids.events does not count the refusal"
rmdir $G/pids
ok "pids.max refuses the fork over it"
