#!/bin/sh
# where: guest
# timeout: 240
# requires: CONFIG_BPF_EVENTS
# bpftrace on the lab's modules (docs/bpf.md; the 7.3 line): a kprobe on
# ksort_write counts a client's five writes exactly, by comm; a kretprobe
# sees what ksort_write returns; kstack shows how ksort_write was reached
# (named by scripts/ksyms.awk; 8 frames: a stack map of bpftrace's full
# depth does not fit the debug profile's guest);
# a tracepoint program sums simrupt_read's bytes to what the reader got;
# a read through a bad pointer gives 0 and an error count, and the guest
# goes on; bpftool lists the programs and dumps a map while they run.
# shellcheck disable=SC2016 # $... in bpftrace programs are bpftrace's
. tests/lib/module.sh
ksort=$MODDIR/ksort/user/ksort
out=/tmp/bpftrace.out

command -v bpftrace >/dev/null || fail "no bpftrace on the PATH ($PATH)"

# trace PROGRAM: bpftrace runs PROGRAM in the background, its output in
# $out, until its BEGIN says every probe is attached
trace() {
	bpftrace --no-warnings -e "BEGIN { printf(\"attached\\n\"); } $1" >"$out" 2>&1 &
	bt=$!
	i=0
	until grep -q '^attached' "$out"; do
		kill -0 "$bt" 2>/dev/null || fail "bpftrace stopped: $(cat "$out")"
		i=$((i + 1))
		[ "$i" -lt 1200 ] || fail "bpftrace did not attach in 120 s: $(cat "$out")"
		sleep 0.1
	done
}
# stop: bpftrace ends (Ctrl-C) and prints its maps
stop() {
	kill -INT "$bt"
	wait "$bt"
	cat "$out"
}

load ksort/ksort
trace 'kprobe:ksort_write { @writes[comm] = count(); }
	kretprobe:ksort_write { @ret = lhist(retval, 0, 64, 8); }
	kprobe:ksort_write { @stack[kstack(8)] = count(); }'
for i in 1 2 3 4 5; do
	"$ksort" 3 1 2 >/dev/null || fail "ksort 3 1 2"
done
bpftool prog list >/tmp/progs || fail "bpftool prog list failed"
grep -c kprobe /tmp/progs | grep -qx 3 || fail "bpftool prog list does not show 3 kprobe programs: $(cat /tmp/progs)"
grep -q 'not jited' /tmp/progs || fail "a program was JIT-compiled (UML has no BPF JIT)"
# bpftrace's map @writes is AT_writes, its key the comm: "ksort" in hex
id=$(bpftool map list | sed -n 's/^\([0-9]*\): .*name AT_writes .*/\1/p' | head -n 1)
[ -n "$id" ] || fail "no map AT_writes in bpftool map list: $(bpftool map list)"
bpftool map dump id "$id" | grep -q '6b 73 6f 72 74 00' ||
	fail "bpftool map dump id $id does not show the key ksort: $(bpftool map dump id "$id")"
stop
grep -q '^@writes\[ksort\]: 5$' "$out" || fail "not 5 writes counted for ksort"
ok "kprobe: 5 writes of the ksort client counted, by comm; bpftool saw the programs and the map"
# three ints written, 12 bytes returned each time
grep -q '^\[8, 16) *5 |' "$out" || fail "the kretprobe's histogram does not hold 5 returns of 12"
ok "kretprobe: ksort_write returned 12, 5 times"
# (bpftrace prints UML's kernel addresses bare: scripts/ksyms.awk names them)
stack=$(sed -n '/^@stack\[/,/^\]/p' "$out" | awk -f scripts/ksyms.awk /proc/kallsyms -)
echo "$stack"
echo "$stack" | sed -n 2p | grep -q ' ksort_write+0x0 \[ksort\]$' || fail "kstack does not start at ksort_write"
echo "$stack" | grep -q ' vfs_write+0x' || fail "kstack does not show vfs_write under ksort_write"
ok "kstack: ksort_write called from vfs_write"
unload ksort

load simrupt/simrupt period_ms=1
trace 'tracepoint:simrupt:simrupt_read { @copied = sum(args->copied); }'
"$MODDIR/simrupt/user/simrupt-read" 600 20 >/dev/null || fail "simrupt-read 600 20"
stop
grep -q '^@copied: 600$' "$out" || fail "simrupt_read's copied does not add up to 600"
ok "tracepoint: simrupt_read's bytes add up to the 600 read"
unload simrupt

# Bad pointers (kernel-config/patches/7.3/0010): at the bottom, in the
# vmalloc area but unmapped, past UML's address space, and x86's kernel
# half. bpf_probe_read_kernel() fails on each and the value reads 0; the
# guest goes on. (kptr(): UML's kernel and user addresses overlap, so the
# old bpf_probe_read(), which does not say which it reads, does not exist.)
trace 'kprobe:ksys_read /comm == "dd"/ { @low = *kptr((uint64 *)16);
	@vm = *kptr((uint64 *)0x70000008); @top = *kptr((uint64 *)0x7ff00000);
	@x86 = *kptr((uint64 *)0xffff800000000000); }'
dd if=/proc/version of=/dev/null bs=1 count=1 2>/dev/null || fail "dd"
stop
for v in low vm top x86; do
	grep -q "^@$v: 0$" "$out" || fail "the read of @$v did not give 0"
done
head -c 1 /proc/version >/dev/null || fail "the guest did not go on"
ok "bad pointers read as 0 with an error, the guest goes on"
