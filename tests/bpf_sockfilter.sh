#!/bin/sh
# where: guest
# requires: CONFIG_BPF_SYSCALL
# A BPF socket filter loaded from C with libbpf (tests/progs/bpf/
# sockfilter.c; docs/bpf.md), run by UML's BPF interpreter: it counts every
# datagram in a map and drops them all, then keeps them all; the counts and
# what arrives are exact.
. tests/lib/module.sh
out=$(/lab/build/progs/bpf/sockfilter 2>&1)
echo "$out"
echo "$out" | grep -qx 'drop: count 3 received 0' || fail "the dropping filter"
echo "$out" | grep -qx 'keep: count 5 received 2' || fail "the keeping filter"
echo "$out" | grep -qx ok || fail "sockfilter did not finish"
ok "a socket filter from C: 3 dropped and 2 kept, 5 counted in its map"
