// SPDX-License-Identifier: GPL-2.0
/*
 * @NAME@ - what this module teaches, in one line.
 *
 * Its logic that needs no device (@NAME@_clamp() here) is a function of
 * its own, visible to the KUnit suite in @NAME@_kunit.c when the kernel
 * has KUnit (EXPORT_SYMBOL_IF_KUNIT), static otherwise.
 *
 * In the lab:
 *   insmod /lab/build/modules/@NAME@/@NAME@.ko
 *   insmod /lab/build/modules/@NAME@/@NAME@_kunit.ko; dmesg | tail
 *   rmmod @NAME@_kunit @NAME@
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <kunit/visibility.h>

#include "@NAME@.h"

/* @v, kept within [@lo, @hi] */
VISIBLE_IF_KUNIT int @NAME@_clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}
EXPORT_SYMBOL_IF_KUNIT(@NAME@_clamp);

static int __init @NAME@_init(void)
{
	pr_info("loaded, %d\n", @NAME@_clamp(42, 0, 10));
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
