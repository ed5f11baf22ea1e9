#!/usr/bin/env bash
# where: host
# timeout: 120
# In gdb, a module's write() handler shows the user's buffer: the
# $user_str() function and the umlab-user command read the memory of the
# guest process that made the call (scripts/gdb/umlab.py), where gdb's own
# print says "Cannot access memory". And when a module's init faults, the
# backtrace at the panic goes straight to it, without UML's six
# signal-handling frames.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v gdb >/dev/null || fail "gdb is not installed"

script=$(mktemp)
. tests/lib/outside.sh
work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -f "$script"; rm -rf "$work"' EXIT
cat >"$script" <<'EOF_GDB'
break message_write
run
p $user_str(buf, count)
umlab-user buf count
kill
quit
EOF_GDB
msg="hello from user space $$"
out=$(GDB_ARGS="-batch -x $script" ./run.sh --gdb -- sh -c \
	"insmod /lab/${UMLAB_BUILD:-build}/modules/dbgfs/dbgfs.ko && echo '$msg' > /sys/kernel/debug/dbgfs/message" 2>&1)
echo "$out" | grep -v '^\['
echo "$out" | grep -q 'hit Breakpoint 1, message_write' || fail "the breakpoint in message_write did not hit"
echo "$out" | grep -qF "= \"$msg\\n\"" || fail "\$user_str(buf, count) did not give the buffer"
echo "$out" | grep -qE '^0x[0-9a-f]+:  68 65 6c 6c 6f 20 66 72 6f 6d 20 75 73 65 72 20  hello from user $' ||
	fail "umlab-user did not dump the buffer"
echo "ok: a write() handler's user buffer, through \$user_str and umlab-user"

# The fault's frame right after panic()'s.
b=${UMLAB_BUILD:-build}
cp -r tests/evidence/badnull "$work/"
scripts/extmod.sh build "$b/kernel" "$b/kdir" "$work/badnull" >/dev/null || fail "building badnull"
printf 'run\nbt 3\nkill\nquit\n' >"$script"
out=$(GDB_ARGS="-batch -x $script" ./run.sh --gdb --share "$work/badnull" -- \
	sh -c 'insmod /share/badnull/badnull.ko' 2>&1)
echo "$out" | grep '^#'
bt=$(echo "$out" | grep '^#' | head -n 2 | tail -n 1)
[[ "$bt" =~ ^#[0-9]+\ +(0x[0-9a-f]+\ in\ )?badnull_init\ \(\)\ at\ (.*/)?badnull\.c:[0-9]+$ ]] ||
	fail "the frame after panic() is not badnull_init: $bt"
echo "ok: the backtrace at a fault goes from panic() to badnull_init"
