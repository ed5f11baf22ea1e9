// SPDX-License-Identifier: GPL-2.0
/*
 * ksort_kunit - KUnit suite for ksort's sorting, without the device.
 *
 * Its cases run when the module is loaded (ksort.ko first: it exports
 * what is tested to this module only, when the kernel has KUnit), and
 * KUnit reports them as KTAP in the kernel log and in
 * /sys/kernel/debug/kunit/ksort/results:
 *
 *   insmod ksort.ko && insmod ksort_kunit.ko && dmesg | tail
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/version.h>

#include "ksort_sort.h"

static int ksort_kunit_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Two sorted halves, one of them empty or both not, merge in order. */
static void ksort_merge_halves(struct kunit *test)
{
	int a[] = { 1, 4, 9, 2, 3, 10, 11 }, want[] = { 1, 2, 3, 4, 9, 10, 11 };
	int b[] = { 5, 6 }, tmp[ARRAY_SIZE(a)];

	ksort_merge(a, 3, ARRAY_SIZE(a), tmp);
	KUNIT_EXPECT_MEMEQ(test, a, want, sizeof(want));
	ksort_merge(b, 0, ARRAY_SIZE(b), tmp);
	KUNIT_EXPECT_EQ(test, b[0], 5);
	KUNIT_EXPECT_EQ(test, b[1], 6);
	ksort_merge(b, 2, ARRAY_SIZE(b), tmp);
	KUNIT_EXPECT_EQ(test, b[0], 5);
	KUNIT_EXPECT_EQ(test, b[1], 6);
}

/* Sorts as lib/sort does, for n below and above the split into halves. */
static void ksort_sort_random(struct kunit *test)
{
	static const size_t sizes[] = { 0, 1, 2, 17, 4095, 4096, 10001 };
	size_t i, k, n;
	int *data, *want;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = sizes[i];
		data = kunit_kmalloc_array(test, n + 1, sizeof(int), GFP_KERNEL);
		want = kunit_kmalloc_array(test, n + 1, sizeof(int), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, data);
		KUNIT_ASSERT_NOT_NULL(test, want);
		for (k = 0; k < n; k++)
			data[k] = (int)get_random_u32() % 1000;	/* repeats too */
		memcpy(want, data, n * sizeof(int));
		sort(want, n, sizeof(int), ksort_kunit_cmp, NULL);
		KUNIT_ASSERT_EQ(test, ksort_sort(data, n), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, data, want, n * sizeof(int),
				       "%zu ints", n);
	}
}

/* The extremes of int, and a descending array. */
static void ksort_sort_extremes(struct kunit *test)
{
	int data[] = { INT_MAX, 0, INT_MIN, -1, 1, INT_MIN, INT_MAX };
	int want[] = { INT_MIN, INT_MIN, -1, 0, 1, INT_MAX, INT_MAX };
	int down[] = { 5, 4, 3, 2, 1 }, up[] = { 1, 2, 3, 4, 5 };

	KUNIT_ASSERT_EQ(test, ksort_sort(data, ARRAY_SIZE(data)), 0);
	KUNIT_EXPECT_MEMEQ(test, data, want, sizeof(want));
	KUNIT_ASSERT_EQ(test, ksort_sort(down, ARRAY_SIZE(down)), 0);
	KUNIT_EXPECT_MEMEQ(test, down, up, sizeof(up));
}

static struct kunit_case ksort_cases[] = {
	KUNIT_CASE(ksort_merge_halves),
	KUNIT_CASE(ksort_sort_random),
	KUNIT_CASE(ksort_sort_extremes),
	{}
};

static struct kunit_suite ksort_suite = {
	.name = "ksort",
	.test_cases = ksort_cases,
};
kunit_test_suite(ksort_suite);

/* the namespace is a string literal since Linux 6.13 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("KUnit suite for ksort's sorting");
