#!/usr/bin/env bash
# where: host
# timeout: 120
# A module directory with a KUnit suite, as the kernel's convention has it
# (mysum.ko exports what it tests to its test module only,
# EXPORT_SYMBOL_IF_KUNIT; mysum_test.ko has the suite), through make test
# M=DIR with no test script of its own: the load-unload test loads the
# suite after the module it depends on, each case is a subtest in the
# KTAP, a failing expectation fails the run with its case, file:line and
# the values; kunit.py parses the whole output. Without the failing case,
# the run passes.
set -u
fail() { echo "FAIL: $*"; exit 1; }

. tests/lib/outside.sh
work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$work"' EXIT
mod=$work/mysum
mkdir -p "$mod"
cat >"$mod/mysum.c" <<'EOF_C'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <kunit/visibility.h>

VISIBLE_IF_KUNIT int mysum(int a, int b)
{
	return a + b;
}
EXPORT_SYMBOL_IF_KUNIT(mysum);

MODULE_LICENSE("GPL");
EOF_C
cat >"$mod/mysum_test.c" <<'EOF_C'
// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/version.h>

int mysum(int a, int b);

static void mysum_adds(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mysum(2, 3), 5);
}

static void mysum_wrong(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mysum(2, 2), 5);
}

static struct kunit_case mysum_cases[] = {
	KUNIT_CASE(mysum_adds),
	KUNIT_CASE(mysum_wrong),
	{}
};

static struct kunit_suite mysum_suite = {
	.name = "mysum",
	.test_cases = mysum_cases,
};
kunit_test_suite(mysum_suite);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
MODULE_LICENSE("GPL");
EOF_C
cat >"$mod/Makefile" <<'EOF_MK'
obj-m += mysum.o mysum_test.o
KDIR ?= /lib/modules/$(shell uname -r)/build

all:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
EOF_MK

out=$(labmake test M="$mod" 2>&1)
rc=$?
echo "$out"
echo "--- checking the run above"
[ "$rc" -ne 0 ] || fail "a failing KUnit case passed"
echo "$out" | grep -qx '        ok 1 mysum_adds' || fail "no 'ok 1 mysum_adds' subtest"
echo "$out" | grep -qx '        not ok 2 mysum_wrong' || fail "no 'not ok 2 mysum_wrong' subtest"
echo "$out" | grep -qx '    not ok 1 mysum' || fail "no 'not ok 1 mysum' suite line"
echo "$out" | grep -q '^# umlab: KUnit cases failed: mysum.mysum_wrong$' ||
	fail "the failure does not name the case"
echo "$out" | grep -q 'mysum_wrong: EXPECTATION FAILED at .*mysum_test.c:[0-9]*' ||
	fail "the failure does not give the file:line"
echo "$out" | grep -q 'mysum(2, 2) == 4' || fail "the failure does not give the values"
echo "$out" | grep -qx 'not ok 1 load-unload' || fail "no 'not ok 1 load-unload'"
kunit=${UMLAB_BUILD:-build}/kernel/source/tools/testing/kunit/kunit.py
parsed=$(echo "$out" | sed -n '/^KTAP version 1$/,$p' | grep -v -E '^[0-9]+ passed, ' |
	python3 "$kunit" parse 2>&1)
echo "$parsed" | tail -n 4
echo "$parsed" | grep -q 'Testing complete. Ran 2 tests: passed: 1, failed: 1' ||
	fail "kunit.py parse did not see the two cases, one failed"
echo "ok: a failing case fails the run, with its file:line and values"

sed -i '/KUNIT_CASE(mysum_wrong)/d' "$mod/mysum_test.c"
out=$(labmake test M="$mod" 2>&1)
rc=$?
[ "$rc" -eq 0 ] || fail "the suite without its failing case did not pass: $out"
echo "$out" | grep -qx '        ok 1 mysum_adds' || fail "no 'ok 1 mysum_adds' subtest: $out"
echo "$out" | grep -qx 'ok 1 load-unload' || fail "no 'ok 1 load-unload': $out"
echo "ok: without the failing case the run passes"
