// SPDX-License-Identifier: GPL-2.0
/*
 * buggy_oob - writes one element past the end of a kmalloc'd array (an
 * off-by-one in the loop bound).
 *
 * KASAN reports "BUG: KASAN: slab-out-of-bounds in buggy_oob_fill".
 *
 *   make test PROFILE=debug T=buggy_oob
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#define BUGGY_N	8

static noinline void buggy_oob_fill(int *a, int n)
{
	int i;

	for (i = 0; i <= n; i++)	/* the bug: <= */
		a[i] = i;
}

static int __init buggy_oob_init(void)
{
	int *a = kmalloc_array(BUGGY_N, sizeof(*a), GFP_KERNEL);

	if (!a)
		return -ENOMEM;
	buggy_oob_fill(a, BUGGY_N);
	pr_info("filled %d ints\n", BUGGY_N);
	kfree(a);
	return 0;
}

static void __exit buggy_oob_exit(void)
{
}

module_init(buggy_oob_init);
module_exit(buggy_oob_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate bug: out-of-bounds write");
