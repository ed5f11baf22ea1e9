#!/usr/bin/env bash
# where: host
# timeout: 300
# A module directory from outside the project, as a course hands it out
# (tests/extmod/shout: a Makefile with obj-m and KDIR ?=, a client built
# with the host's gcc, a bash check script that uses sudo insmod), tested
# with make test M=DIR: built against the lab kernel with its own Makefile,
# shared with the guest, its check script run by the runner. An edit is
# rebuilt and a broken module fails; a build error gets the lab's hint;
# bad M= directories are refused with a reason.
set -u
fail() { echo "FAIL: $*"; exit 1; }

. tests/lib/outside.sh
work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$work"' EXIT
cp -r tests/extmod/shout "$work/shout"
mod=$work/shout

out=$(labmake test M="$mod" T=check.sh 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "make test M=$mod T=check.sh exited $rc"
echo "$out" | grep -qx 'ok 1 check' || fail "no 'ok 1 check' line"
log=${UMLAB_BUILD:-build}/tests/shout/check.log
grep -q "client: 'hello from user space' came back as 'HELLO FROM USER SPACE'" "$log" ||
	fail "the client's answer is not in $log"
grep -q '^check: PASS' "$log" || fail "the check script did not finish"
[ -f "$mod/shout.ko" ] || fail "the module was not built in its directory"
readelf -l "$mod/client" | grep -q 'Requesting program interpreter' ||
	fail "the client is not a dynamically linked program of the host's gcc"
echo "ok: built with its own Makefile, check.sh passed in the guest"

# No test of its own (no umlab-test.sh, no tests/*.sh): load and unload.
out=$(labmake test M="$mod" 2>&1)
echo "$out" | grep -qx 'ok 1 load-unload' || fail "no load-unload test: $out"
grep -q '^ok: shout.ko$' "${UMLAB_BUILD:-build}"/tests/shout/load-unload.log || fail "shout.ko was not loaded and unloaded"
echo "ok: without tests, every .ko is loaded and unloaded"

# A test that leaves its module loaded fails, and says which module.
printf '#!/bin/sh\nsudo insmod shout.ko\n' >"$mod/leave.sh"
out=$(labmake test M="$mod" T=leave.sh 2>&1)
rc=$?
rm -f "$mod/leave.sh"
[ "$rc" -ne 0 ] || fail "a test that left its module loaded passed: $out"
echo "$out" | grep -qx 'not ok 1 leave' || fail "no 'not ok 1 leave' line: $out"
echo "$out" | grep -q 'umlab: modules still loaded after .*leave.sh: shout$' ||
	fail "the failure does not name the module left loaded: $out"
echo "ok: a test that leaves its module loaded fails, naming it"

# An edit is rebuilt, and a module that answers wrong fails its check.
sed -i 's/toupper(tmp\[i\])/tolower(tmp[i])/' "$mod/shout.c"
out=$(labmake test M="$mod" T=check.sh 2>&1)
rc=$?
[ "$rc" -ne 0 ] || fail "a broken module passed: $out"
echo "$out" | grep -qx 'not ok 1 check' || fail "no 'not ok 1 check' line: $out"
echo "$out" | grep -q "read back 'hello from user space'" || fail "the client's complaint is not shown: $out"
echo "ok: an edit is rebuilt; the broken module fails its check"

# Code written on x86: it compiles there, where the headers pull in more.
# A directory with only a Kbuild file is built with it; the errors get
# the lab's hints.
mkdir -p "$work/x86ish"
echo 'obj-m += x86ish.o' >"$work/x86ish/Kbuild"
cat >"$work/x86ish/x86ish.c" <<'EOF_C'
#include <linux/module.h>
#include <linux/miscdevice.h>
static ssize_t x86ish_read(struct file *file, char __user *buf, size_t n,
			   loff_t *pos)
{
	if (!access_ok(buf, n))
		return -EFAULT;
	return (file->f_flags & O_NONBLOCK) ? -EAGAIN : 0;
}
static int __init x86ish_init(void)
{
	return read_cr0() ? 0 : x86ish_read(NULL, NULL, 0, NULL);
}
module_init(x86ish_init);
MODULE_LICENSE("GPL");
EOF_C
out=$(labmake test M="$work/x86ish" 2>&1)
rc=$?
echo "$out" | grep '^umlab: '
[ "$rc" -ne 0 ] || fail "a module that does not compile passed"
echo "$out" | grep -q "^umlab: hint: .*x86ish.c:6: access_ok: declared in <linux/uaccess.h>" ||
	fail "no hint about <linux/uaccess.h>: $out"
echo "$out" | grep -q "^umlab: hint: .*x86ish.c:8: struct file, O_NONBLOCK: declared in <linux/fs.h>" ||
	fail "no hint about <linux/fs.h>: $out"
echo "$out" | grep -q "^umlab: hint: .*x86ish.c:12: read_cr0 is x86-only" ||
	fail "no hint about read_cr0: $out"
echo "$out" | grep -q "^umlab: building $work/x86ish with its Kbuild file failed" ||
	fail "no failure line: $out"
echo "ok: UML's missing includes and x86-only symbols get hints"

# A character device written on x86 (tests/extmod/x86chr: fs.h and
# uaccess.h come in through x86's headers) builds unchanged, says what it
# relies on, and works; UMLAB_STRICT=1 builds it as written: it fails,
# with the hints.
cp -r tests/extmod/x86chr "$work/x86chr"
out=$(labmake test M="$work/x86chr" T=check.sh 2>&1)
rc=$?
[ "$rc" -eq 0 ] || fail "the x86-written module did not build and pass unchanged: $out"
echo "$out" | grep -x "umlab: x86chr relies on <linux/fs.h> <linux/uaccess.h>, which x86's headers include on the way and UML's do not: .*" ||
	fail "no line saying what x86chr relies on: $out"
grep -q '^check: PASS' "${UMLAB_BUILD:-build}"/tests/x86chr/check.log || fail "x86chr's check did not pass"
touch "$work/x86chr/x86chr.c"
out=$(UMLAB_STRICT=1 labmake test M="$work/x86chr" T=check.sh 2>&1)
rc=$?
[ "$rc" -ne 0 ] || fail "UMLAB_STRICT=1 built the x86-written module: $out"
echo "$out" | grep -q "^umlab: hint: .*x86chr.c:[0-9]*: .*declared in <linux/fs.h>" ||
	fail "UMLAB_STRICT=1: no hint about <linux/fs.h>: $out"
echo "ok: a module written on x86 builds unchanged; UMLAB_STRICT=1 fails it with hints"

# Makefiles and directories as they come. An LDD3-style Makefile uses
# $(PWD), which is the environment's: its make runs in its directory.
cp -r tests/extmod/shout "$work/ldd"
# shellcheck disable=SC2016 # make's $(PWD), not the shell's
sed -i 's/M=$(CURDIR)/M=$(PWD)/' "$work/ldd/Makefile"
out=$(labmake test M="$work/ldd" T=check.sh 2>&1) || fail "a Makefile with M=\$(PWD) did not build and pass: $out"
echo "ok: a Makefile with M=\$(PWD) builds"
# One that names /lib/modules/... itself gets the hint.
cp -r tests/extmod/shout "$work/hard"
# shellcheck disable=SC2016 # make's $(KDIR)
sed -i 's|-C $(KDIR)|-C /lib/modules/0.0.0-umlab-none/build|' "$work/hard/Makefile"
! out=$(labmake test M="$work/hard" 2>&1) || fail "a Makefile with a hard-coded /lib/modules passed"
echo "$out" | grep -q "^umlab: hint: .*hard/Makefile builds against /lib/modules/" ||
	fail "no hint for a hard-coded /lib/modules: $out"
echo "ok: a hard-coded /lib/modules gets its hint"
# A directory whose scripts have other names: said in one line.
mkdir -p "$work/other"
cp tests/extmod/shout/shout.c "$work/other/"
echo 'obj-m += shout.o' >"$work/other/Kbuild"
printf '#!/bin/sh\ntrue\n' >"$work/other/test.sh"
out=$(labmake test M="$work/other" 2>&1) || fail "load-unload of 'other' failed: $out"
echo "$out" | grep -q "^umlab: no umlab-test.sh or tests/\*.sh in .*other: only the load-unload test runs; found test.sh (run one with T=NAME)" ||
	fail "no line about test.sh: $out"
out=$(labmake test M="$work/other" T=nosuch.sh 2>&1)
echo "$out" | grep -q "^umlab: T=nosuch.sh: no such script in .*other (looked for nosuch.sh tests/nosuch.sh)$" ||
	fail "T=nosuch.sh: $out"
echo "ok: scripts under other names are named; T= errors name the file as typed"
# Two make test M=DIR at once, after an edit: the builds take turns.
touch "$work/ldd/shout.c"
labmake test M="$work/ldd" T=check.sh >"$work/one.out" 2>&1 &
one=$!
labmake test M="$work/ldd" T=check.sh >"$work/two.out" 2>&1 || fail "the second of two at once failed: $(cat "$work/two.out")"
wait "$one" || fail "the first of two at once failed: $(cat "$work/one.out")"
echo "ok: two make test M=DIR at once after an edit both pass"

# Bad directories: one line each, and a non-zero status.
mkdir -p "$work/empty" "$work/a,b"
cp tests/extmod/shout/Makefile "$work/a,b/"
bad() {	# bad WANT DIR
	local out rc
	out=$(labmake test M="$2" 2>&1)
	rc=$?
	[ "$rc" -ne 0 ] || fail "make test M=$2 passed"
	echo "$out" | grep -q "^umlab: .*$1" || fail "make test M=$2 did not say '$1': $out"
	echo "ok: refused: $(echo "$out" | grep '^umlab: ')"
}
bad "no such directory" "$work/nowhere"
bad "has no Makefile or Kbuild file" "$work/empty"
bad "comma or a colon" "$work/a,b"
mkdir -p "$work/my mod"
cp tests/extmod/shout/shout.c "$work/my mod/"
echo 'obj-m += shout.o' >"$work/my mod/Kbuild"
bad "cannot carry a path with spaces" "$work/my mod"
echo "extmod ok"
