// SPDX-License-Identifier: GPL-2.0
/*
 * @NAME@_kunit - KUnit suite for @NAME@: its cases run when this module
 * is loaded, after @NAME@.ko, and KUnit reports them as KTAP in the
 * kernel log (make test nests them in its own output).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/version.h>

#include "@NAME@.h"

static void @NAME@_clamp_inside(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, @NAME@_clamp(5, 0, 10), 5);
	KUNIT_EXPECT_EQ(test, @NAME@_clamp(0, 0, 10), 0);
	KUNIT_EXPECT_EQ(test, @NAME@_clamp(10, 0, 10), 10);
}

static void @NAME@_clamp_outside(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, @NAME@_clamp(-1, 0, 10), 0);
	KUNIT_EXPECT_EQ(test, @NAME@_clamp(42, 0, 10), 10);
}

static struct kunit_case @NAME@_cases[] = {
	KUNIT_CASE(@NAME@_clamp_inside),
	KUNIT_CASE(@NAME@_clamp_outside),
	{}
};

static struct kunit_suite @NAME@_suite = {
	.name = "@NAME@",
	.test_cases = @NAME@_cases,
};
kunit_test_suite(@NAME@_suite);

/* the namespace is a string literal since Linux 6.13 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
MODULE_LICENSE("GPL");
MODULE_AUTHOR("@AUTHOR@");
MODULE_DESCRIPTION("KUnit suite for @NAME@");
