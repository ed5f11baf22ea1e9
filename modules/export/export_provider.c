// SPDX-License-Identifier: GPL-2.0
/*
 * export_provider - a module that exports a function to other modules.
 *
 * Teaches: EXPORT_SYMBOL_GPL, and how the kernel ties the modules that
 * use a symbol to the one that provides it: export_consumer cannot be
 * loaded without this module, and this module cannot be removed while
 * export_consumer uses it (see "Used by" in lsmod).
 *
 * In the lab:
 *   insmod /lab/build/modules/export/export_provider.ko
 *   insmod /lab/build/modules/export/export_consumer.ko
 *   lsmod; rmmod export_provider     (refused: in use)
 *   rmmod export_consumer export_provider
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/module.h>

#include "export_provider.h"

static atomic_t calls = ATOMIC_INIT(0);

/**
 * export_provider_greet() - greet a caller and count the calls
 * @who: name of the caller, for the log
 *
 * Return: how many calls there have been, this one included.
 */
int export_provider_greet(const char *who)
{
	int n = atomic_inc_return(&calls);

	pr_info("greeting %s (call %d)\n", who, n);
	return n;
}
EXPORT_SYMBOL_GPL(export_provider_greet);

static int __init export_provider_init(void)
{
	pr_info("loaded, exporting export_provider_greet()\n");
	return 0;
}

static void __exit export_provider_exit(void)
{
	pr_info("unloaded after %d calls\n", atomic_read(&calls));
}

module_init(export_provider_init);
module_exit(export_provider_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("Exports a function with EXPORT_SYMBOL_GPL");
