// SPDX-License-Identifier: GPL-2.0
/*
 * buggy_sleep - allocates with GFP_KERNEL, which may sleep, while holding
 * a spinlock.
 *
 * With CONFIG_DEBUG_ATOMIC_SLEEP the kernel reports "BUG: sleeping
 * function called from invalid context" with buggy_sleep_add in the trace.
 *
 *   make test PROFILE=debug T=buggy_sleep
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

struct buggy_entry {
	struct list_head node;
	int value;
};

static DEFINE_SPINLOCK(entries_lock);
static LIST_HEAD(entries);

static noinline int buggy_sleep_add(int value)
{
	struct buggy_entry *e;

	spin_lock(&entries_lock);
	e = kmalloc(sizeof(*e), GFP_KERNEL);	/* the bug: may sleep */
	if (e) {
		e->value = value;
		list_add(&e->node, &entries);
	}
	spin_unlock(&entries_lock);
	return e ? 0 : -ENOMEM;
}

static int __init buggy_sleep_init(void)
{
	return buggy_sleep_add(1);
}

static void __exit buggy_sleep_exit(void)
{
	struct buggy_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &entries, node) {
		list_del(&e->node);
		kfree(e);
	}
}

module_init(buggy_sleep_init);
module_exit(buggy_sleep_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate bug: sleeping in atomic context");
