// SPDX-License-Identifier: GPL-2.0
/*
 * export_consumer - a module that calls a function another module exports.
 *
 * Teaches: using an exported symbol. Loading this module needs
 * export_provider loaded first (or modprobe, which reads the dependency
 * from modules.dep); without it, insmod fails and the kernel logs
 * "Unknown symbol export_provider_greet".
 *
 * In the lab: see export_provider.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "export_provider.h"

static int __init export_consumer_init(void)
{
	int n = export_provider_greet(KBUILD_MODNAME);

	pr_info("loaded; the provider has been called %d time(s)\n", n);
	return 0;
}

static void __exit export_consumer_exit(void)
{
	export_provider_greet(KBUILD_MODNAME " on its way out");
	pr_info("unloaded\n");
}

module_init(export_consumer_init);
module_exit(export_consumer_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("Calls a function exported by export_provider");
