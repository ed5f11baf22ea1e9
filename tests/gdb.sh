#!/usr/bin/env bash
# where: host
# timeout: 120
# gdb ./linux debugs module code: breakpoints set before a module is loaded
# hit in its init and exit functions with the right file and line, still
# hit after the guest has started many processes, and after a module is
# rebuilt and reloaded they hit at the new code's lines. One scripted
# session (./run.sh --gdb with GDB_ARGS), on a module the lab ships (hello),
# on one made by `make new-module`, rebuilt while gdb waits, on one from
# a directory outside the project (--share, as make gdb M=DIR does), and
# on a kprobe's handler: kprobe hits do not stop gdb, its breakpoints do.
set -u
fail() { echo "FAIL: $*"; exit 1; }

b=${UMLAB_BUILD:-build}
work=$b/gdbtest	# under the profile's build directory, where gdb looks for .ko files
rm -rf "$work"
mkdir -p "$work/src" "$work/tests"

# A user's module, from the new-module template, built as make modules
# builds one: sources in src/, objects in modules/.
MODULES_DIR=$PWD/$work/src TESTS_DIR=$PWD/$work/tests \
	scripts/new-module.sh gdbdemo >/dev/null || fail "new-module"
src=$work/src/gdbdemo/gdbdemo.c
build_demo="scripts/build-module.sh $b/kernel $work/src/gdbdemo $work/modules/gdbdemo"
. tests/lib/outside.sh
ext=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$ext"' EXIT
cp -r tests/extmod/shout "$ext/"
# the two builds side by side
$build_demo >/dev/null &
demo_pid=$!
scripts/extmod.sh build "$b/kernel" "$b/kdir" "$ext/shout" >/dev/null || fail "building shout"
wait "$demo_pid" || fail "building gdbdemo"

# Lines to expect, read from the sources rather than written down here.
line_of() { grep -n -m1 -F -- "$2" "$1" | cut -d: -f1; }
init_line=$(line_of modules/hello/hello.c 'pr_debug("init: whom')
exit_line=$(line_of modules/hello/hello.c 'pr_debug("exit: greeted')
demo_v1=$(line_of "$src" 'pr_info("loaded\n");')

# Version 2 of gdbdemo: three lines more above its init's message.
sed 's|^\tpr_info("loaded\\n");|\tpr_info("rebuilt\\n");\n\tpr_info("twice\\n");\n\tpr_info("over\\n");\n\tpr_info("loaded\\n");|' \
	"$src" >"$work/gdbdemo-v2.c"
[ "$(line_of "$work/gdbdemo-v2.c" 'pr_info("loaded\n");')" -eq $((demo_v1 + 3)) ] ||
	fail "could not make version 2 of gdbdemo"
shout_line=$(line_of "$ext/shout/shout.c" 'if (count > SHOUT_SIZE)')
exit_v1=$(line_of "$src" 'pr_info("unloaded\n");')
exit_v2=$(line_of "$work/gdbdemo-v2.c" 'pr_info("unloaded\n");')
[ "$exit_v2" -eq $((exit_v1 + 3)) ] || fail "version 2 did not move gdbdemo_exit"

# Breakpoints by function and by line, all set before anything is loaded.
{
	printf '%s\n' "break hello_init" "break hello_exit" \
		"break gdbdemo.c:$demo_v1" "break gdbdemo_exit" \
		"break shout.c:$shout_line" "break handler_pre" run
	for n in 1 2 3 4 5 6 7 8 9; do
		printf 'echo STOP-%s\\n\nbt 1\n' "$n"
		# shellcheck disable=SC2016 # a gdb expression
		[ "$n" = 2 ] && echo 'info line *$pc'
		# at the first stop in gdbdemo: rebuild it, as after an edit
		[ "$n" = 3 ] && echo "shell cp $work/gdbdemo-v2.c $src && $build_demo"
		echo continue
	done
} >"$work/session.gdb"

# In the guest: hello in and out with 25 processes in between, then
# gdbdemo twice; between the two loads gdb rebuilds it (STOP-3).
# shellcheck disable=SC2016 # expanded by the guest's shell
guest='insmod "$UMLAB_BUILD/modules/hello/hello.ko" &&
i=0; while [ $i -lt 25 ]; do /bin/true; i=$((i + 1)); done &&
rmmod hello &&
insmod "$UMLAB_BUILD/gdbtest/modules/gdbdemo/gdbdemo.ko" && rmmod gdbdemo &&
insmod "$UMLAB_BUILD/gdbtest/modules/gdbdemo/gdbdemo.ko" && rmmod gdbdemo &&
cd /share/shout && insmod shout.ko && ./client && rmmod shout &&
insmod "/lab/$UMLAB_BUILD/modules/kprobes/kprobe_example.ko" && /bin/true &&
rmmod kprobe_example && echo guest-finished'
GDB_ARGS="-batch -x $work/session.gdb" ./run.sh --gdb --share "$ext/shout" -- sh -c "$guest" \
	>"$work/session.log" 2>&1 </dev/null
rc=$?
cat "$work/session.log"
echo "--- checking the session above"
[ "$rc" -eq 0 ] || fail "the session exited $rc"
# quiet: no line for each of the guest's processes, the module's stay
! grep -q '^\[Detaching after fork\|^\[New Thread' "$work/session.log" ||
	fail "gdb printed a line per guest process"
grep -q "^umlab: loaded symbols for hello from $b/modules/hello/hello.ko" "$work/session.log" ||
	fail "no 'loaded symbols' line for hello"

# stop_frame N: the "#0 ..." frame gdb printed at STOP-N
stop_frame() { sed -n "/^STOP-$1\$/{n;p}" "$work/session.log"; }
# (gdb names the file as Kbuild gave it to the compiler: dir/file.c on
# 6.12, file.c since 6.13 builds an external module in its directory)
expect_stop() {	# expect_stop N FUNCTION FILE:LINE
	local f
	f=$(stop_frame "$1")
	[[ "$f" == "#0  $2 ("*") at "$3 || "$f" == "#0  $2 ("*") at "*/"$3" ]] ||
		fail "stop $1: want $2 at $3, got: ${f:-nothing}"
	echo "ok: stop $1 in $2 at $3"
}
expect_stop 1 hello_init "hello.c:$init_line"
expect_stop 2 hello_exit "hello.c:$exit_line"
grep -qE "^Line $exit_line of \"(.*/)?hello.c\"" "$work/session.log" ||
	fail "info line does not show hello.c:$exit_line"
expect_stop 3 gdbdemo_init "gdbdemo.c:$demo_v1"
expect_stop 4 gdbdemo_exit "gdbdemo.c:$exit_v1"
# rebuilt and reloaded: the same breakpoints, in the new code
expect_stop 5 gdbdemo_init "gdbdemo.c:$demo_v1"
expect_stop 6 gdbdemo_exit "gdbdemo.c:$exit_v2"
# from the shared directory
expect_stop 7 shout_write "shout.c:$shout_line"
# a kprobe's handler, run from the kprobe on kernel_clone: once for the
# fork of /bin/true, once for rmmod's
pre_line=$(line_of modules/kprobes/kprobe_example.c 'pr_info("<%s> pre_handler:')
expect_stop 8 handler_pre "kprobe_example.c:$pre_line"
expect_stop 9 handler_pre "kprobe_example.c:$pre_line"
! grep -q 'received signal' "$work/session.log" || fail "a signal stopped gdb"
grep -q '^guest-finished' "$work/session.log" || fail "the guest did not finish"
[ "$(grep -c 'hit Breakpoint' "$work/session.log")" -eq 9 ] ||
	fail "expected exactly 9 breakpoint hits"
echo "gdb ok"
