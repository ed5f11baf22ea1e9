// SPDX-License-Identifier: GPL-2.0
/*
 * broken_hang - spins forever in init with the CPU held. For the lab's own
 * test of its runner (tests/runner.sh): the per-test timeout must end it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init broken_hang_init(void)
{
	pr_info("waiting for a flag nobody sets\n");
	for (;;)
		cpu_relax();
	return 0;
}

module_init(broken_hang_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A module that never finishes init");
