// SPDX-License-Identifier: GPL-2.0
/*
 * broken_oops - dereferences a NULL pointer in init, the classic oops. For
 * the lab's own test of its runner (tests/runner.sh).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

struct broken_ctx {
	int value;
};

static struct broken_ctx *broken_lookup(void)
{
	return NULL;	/* forgot to allocate */
}

static int __init broken_oops_init(void)
{
	struct broken_ctx *ctx = broken_lookup();

	pr_info("about to use the context\n");
	return READ_ONCE(ctx->value);
}

static void __exit broken_oops_exit(void)
{
}

module_init(broken_oops_init);
module_exit(broken_oops_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A module that oopses in init");
