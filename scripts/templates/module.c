// SPDX-License-Identifier: GPL-2.0
/*
 * @NAME@ - what this module teaches, in one line.
 *
 * In the lab:
 *   insmod /lab/build/modules/@NAME@/@NAME@.ko
 *   dmesg | tail
 *   rmmod @NAME@
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int __init @NAME@_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit @NAME@_exit(void)
{
	pr_info("unloaded\n");
}

module_init(@NAME@_init);
module_exit(@NAME@_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("@AUTHOR@");
MODULE_DESCRIPTION("@NAME@: a new umlab module");
