// SPDX-License-Identifier: GPL-2.0
/*
 * buggy_leak - allocates a table in init and forgets to free it in exit.
 *
 * After rmmod nothing points at the table any more; a kmemleak scan
 * reports it as an unreferenced object allocated in buggy_leak_init.
 *
 *   make test PROFILE=debug T=buggy_leak
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

static char *table;

static int __init buggy_leak_init(void)
{
	table = kmalloc(256, GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	strscpy(table, "the lab's leaked table", 256);
	pr_info("table at %p\n", table);
	return 0;
}

static void __exit buggy_leak_exit(void)
{
	pr_info("bye\n");	/* the bug: no kfree(table) */
}

module_init(buggy_leak_init);
module_exit(buggy_leak_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate bug: memory leaked on unload");
