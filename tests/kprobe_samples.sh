#!/usr/bin/env bash
# where: host
# The kernel's own kprobes samples (samples/kprobes in the lab's kernel
# tree), built against the lab as they are, with their default symbol
# (kernel_clone): they load, report every fork the guest makes, kretprobe
# with the child's pid and the time taken, and unload cleanly.
set -u
fail() { echo "FAIL: $*"; exit 1; }

b=${UMLAB_BUILD:-build}
. tests/lib/outside.sh
work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$work"' EXIT
mkdir "$work/kprobes"
cp "$b/kernel/source/samples/kprobes/kprobe_example.c" \
	"$b/kernel/source/samples/kprobes/kretprobe_example.c" "$work/kprobes/" ||
	fail "no samples/kprobes in the kernel tree"
echo 'obj-m += kprobe_example.o kretprobe_example.o' >"$work/kprobes/Kbuild"
scripts/extmod.sh build "$b/kernel" "$b/kdir" "$work/kprobes" || fail "building the samples"

# shellcheck disable=SC2016 # expanded by the guest's shell
out=$(./run.sh --share "$work/kprobes" -- sh -c 'cd /share/kprobes &&
	insmod kprobe_example.ko && insmod kretprobe_example.ko &&
	/bin/true && /bin/true && /bin/true &&
	rmmod kretprobe_example && rmmod kprobe_example && dmesg' 2>&1)
rc=$?
echo "$out" | grep -E 'kprobe|kernel_clone'
[ "$rc" -eq 0 ] || fail "the guest exited $rc"
echo "$out" | grep -q 'Planted kprobe at' || fail "kprobe_example did not plant its probe"
echo "$out" | grep -q 'Planted return probe at kernel_clone' || fail "kretprobe_example did not plant its probe"
pre=$(echo "$out" | grep -c '<kernel_clone> p->addr = 0x[0-9a-f]*, ip = [0-9a-f]*, flags = 0x')
post=$(echo "$out" | grep -c '<kernel_clone> p->addr = 0x[0-9a-f]*, flags = 0x')
ret=$(echo "$out" | grep -c 'kernel_clone returned [0-9]* and took [0-9]* ns to execute')
# three forks for /bin/true, one for rmmod kretprobe_example (the other
# rmmod forks after kprobe_example has gone, and its kretprobe before)
[ "$pre" -ge 4 ] || fail "$pre pre_handler lines, want 4 or more"
[ "$post" -eq "$pre" ] || fail "$post post_handler lines, $pre pre_handler lines"
[ "$ret" -ge 3 ] || fail "$ret kretprobe lines, want 3 or more"
echo "$out" | grep -q 'kprobe at .* unregistered' || fail "kprobe_example did not unregister"
echo "$out" | grep -q 'Missed probing 0 instances of kernel_clone' || fail "kretprobe_example missed instances"
echo "kprobe samples ok: $pre pre, $post post, $ret returns"
