// SPDX-License-Identifier: GPL-2.0
/*
 * simrupt_kunit - KUnit suite for simrupt's circular buffer between the
 * top half and the mover, without the timer or the device.
 *
 * Its cases run when the module is loaded (simrupt.ko first: it exports
 * what is tested to this module only, when the kernel has KUnit):
 *
 *   insmod simrupt.ko && insmod simrupt_kunit.ko && dmesg | tail
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/version.h>

#include "simrupt_circ.h"

struct simrupt_kunit {
	char data[SIMRUPT_CIRC_SIZE];
	struct circ_buf circ;
};

static int simrupt_kunit_init(struct kunit *test)
{
	struct simrupt_kunit *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	t->circ.buf = t->data;
	test->priv = t;
	return 0;
}

/* Empty: nothing to take. Full after SIZE - 1 bytes: one slot stays free. */
static void simrupt_circ_empty_full(struct kunit *test)
{
	struct simrupt_kunit *t = test->priv;
	char out[SIMRUPT_CIRC_SIZE];
	int i;

	KUNIT_EXPECT_EQ(test, simrupt_circ_take(&t->circ, out, sizeof(out)), 0);
	for (i = 0; i < SIMRUPT_CIRC_SIZE - 1; i++)
		KUNIT_ASSERT_TRUE_MSG(test, simrupt_circ_put(&t->circ, i),
				      "put %d of %d", i + 1, SIMRUPT_CIRC_SIZE - 1);
	KUNIT_EXPECT_FALSE(test, simrupt_circ_put(&t->circ, 'x'));
	KUNIT_EXPECT_EQ(test, simrupt_circ_take(&t->circ, out, sizeof(out)),
			SIMRUPT_CIRC_SIZE - 1);
	for (i = 0; i < SIMRUPT_CIRC_SIZE - 1; i++)
		KUNIT_EXPECT_EQ(test, out[i], (char)i);
	KUNIT_EXPECT_TRUE(test, simrupt_circ_put(&t->circ, 'y'));
}

/* Bytes come out in order across the end of the array, again and again. */
static void simrupt_circ_wraps(struct kunit *test)
{
	struct simrupt_kunit *t = test->priv;
	unsigned int got, n = 0;
	char put = 0, want = 0, out[5];
	int round, i;

	for (round = 0; round < 10 * SIMRUPT_CIRC_SIZE; round++) {
		for (i = 0; i < 7; i++)
			KUNIT_ASSERT_TRUE(test, simrupt_circ_put(&t->circ, put++));
		n += 7;
		while (n > 3) {	/* leave a few behind, so the ends move */
			got = simrupt_circ_take(&t->circ, out, sizeof(out));
			KUNIT_ASSERT_GT(test, got, 0);
			for (i = 0; i < got; i++)
				KUNIT_ASSERT_EQ(test, out[i], want++);
			n -= got;
		}
	}
}

/* take() stops at @max and leaves the rest, in order, for the next one. */
static void simrupt_circ_take_max(struct kunit *test)
{
	struct simrupt_kunit *t = test->priv;
	char out[4];
	int i;

	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_TRUE(test, simrupt_circ_put(&t->circ, 'a' + i));
	KUNIT_EXPECT_EQ(test, simrupt_circ_take(&t->circ, out, 4), 4);
	KUNIT_EXPECT_MEMEQ(test, out, "abcd", 4);
	KUNIT_EXPECT_EQ(test, simrupt_circ_take(&t->circ, out, 4), 4);
	KUNIT_EXPECT_MEMEQ(test, out, "efgh", 4);
	KUNIT_EXPECT_EQ(test, simrupt_circ_take(&t->circ, out, 4), 2);
	KUNIT_EXPECT_MEMEQ(test, out, "ij", 2);
}

static struct kunit_case simrupt_circ_cases[] = {
	KUNIT_CASE(simrupt_circ_empty_full),
	KUNIT_CASE(simrupt_circ_wraps),
	KUNIT_CASE(simrupt_circ_take_max),
	{}
};

static struct kunit_suite simrupt_circ_suite = {
	.name = "simrupt_circ",
	.init = simrupt_kunit_init,
	.test_cases = simrupt_circ_cases,
};
kunit_test_suite(simrupt_circ_suite);

/* the namespace is a string literal since Linux 6.13 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
#else
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
#endif
MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("KUnit suite for simrupt's circular buffer");
