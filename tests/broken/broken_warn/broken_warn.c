// SPDX-License-Identifier: GPL-2.0
/*
 * broken_warn - hits a WARN_ON and carries on, as much buggy code does.
 * For the lab's own test of its runner (tests/runner.sh).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int refcount;

static int __init broken_warn_init(void)
{
	refcount--;	/* one put too many */
	WARN_ON(refcount < 0);
	return 0;
}

static void __exit broken_warn_exit(void)
{
}

module_init(broken_warn_init);
module_exit(broken_warn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A module that triggers a kernel warning");
