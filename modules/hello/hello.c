// SPDX-License-Identifier: GPL-2.0
/*
 * hello - the smallest useful module: messages on load and unload, and a
 * parameter that shows up in sysfs.
 *
 * In the lab:
 *   insmod /lab/build/modules/hello/hello.ko whom=lab times=2
 *   dmesg | tail -n 3
 *   cat /sys/module/hello/parameters/whom
 *   echo 3 > /sys/module/hello/parameters/times    (writable by root)
 *   rmmod hello
 *
 * Its pr_debug() lines are off until dynamic debug turns them on:
 *   insmod hello.ko dyndbg=+p
 *   echo 'module hello +p' > /proc/dynamic_debug/control
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static char *whom = "world";
module_param(whom, charp, 0444);
MODULE_PARM_DESC(whom, "who to greet (default: world)");

static int times = 1;
module_param(times, int, 0644);
MODULE_PARM_DESC(times, "how many greetings on load, 1 to 10 (default: 1)");

static int __init hello_init(void)
{
	int i;

	pr_debug("init: whom=%s times=%d\n", whom, times);
	if (times < 1 || times > 10) {
		pr_err("times=%d is out of range 1..10\n", times);
		return -EINVAL;
	}

	for (i = 0; i < times; i++)
		pr_info("hello, %s (%d of %d)\n", whom, i + 1, times);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_debug("exit: greeted %d times\n", times);
	pr_info("goodbye, %s\n", whom);
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("Greets on load and unload; a parameter in sysfs");
