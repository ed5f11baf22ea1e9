// SPDX-License-Identifier: GPL-2.0
/*
 * buggy_uaf - use after free: reads a buffer after kfree().
 *
 * A deliberate bug, for the debug profile: KASAN reports
 * "BUG: KASAN: slab-use-after-free in buggy_uaf_init". Under the default
 * profile nothing notices, which is the lesson.
 *
 *   make test PROFILE=debug T=buggy_uaf
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

struct buggy_item {
	int id;
	char name[28];
};

static int __init buggy_uaf_init(void)
{
	struct buggy_item *item;
	int id;

	item = kzalloc(sizeof(*item), GFP_KERNEL);
	if (!item)
		return -ENOMEM;
	item->id = 42;
	kfree(item);

	id = READ_ONCE(item->id);	/* the bug: item is gone */
	pr_info("item %d\n", id);
	return 0;
}

static void __exit buggy_uaf_exit(void)
{
}

module_init(buggy_uaf_init);
module_exit(buggy_uaf_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate bug: use after free");
