// SPDX-License-Identifier: GPL-2.0
/*
 * broken_init - init fails, as when a resource is missing. For the lab's
 * own test of its runner (tests/runner.sh); never loaded by make test.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init broken_init_init(void)
{
	pr_err("no device found, giving up\n");
	return -ENODEV;
}

module_init(broken_init_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A module whose init fails");
