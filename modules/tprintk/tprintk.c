// SPDX-License-Identifier: GPL-2.0
/*
 * tprintk - trace_printk(), printf debugging into the trace buffer.
 *
 * A timer fires @ticks times, one jiffy apart, and says so each time with
 * trace_printk(): that goes to the ring buffer, not to the kernel log, costs
 * little, and works in any context (here a timer's softirq), so it can sit
 * in a hot path where printk() would flood dmesg. The first module with a
 * trace_printk() makes the kernel print a banner about it: trace_printk()
 * is for debugging, never for a module that ships.
 *
 * In the lab:
 *   insmod /lab/build/modules/tprintk/tprintk.ko ticks=5
 *   cat /sys/kernel/tracing/trace     (lines "tprintk_tick: tick 1 of 5 ...")
 *   rmmod tprintk
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/timer.h>

static unsigned int ticks = 10;
module_param(ticks, uint, 0444);
MODULE_PARM_DESC(ticks, "how many timer ticks to trace (default 10)");

static struct timer_list tprintk_timer;
static unsigned int done;

static void tprintk_tick(struct timer_list *t)
{
	done++;
	trace_printk("tick %u of %u, in_softirq=%d\n", done, ticks,
		     !!in_softirq());
	if (done < ticks)
		mod_timer(&tprintk_timer, jiffies + 1);
}

static int __init tprintk_init(void)
{
	if (!ticks)
		return -EINVAL;
	timer_setup(&tprintk_timer, tprintk_tick, 0);
	mod_timer(&tprintk_timer, jiffies + 1);
	pr_info("tracing %u ticks\n", ticks);
	return 0;
}

static void __exit tprintk_exit(void)
{
	timer_shutdown_sync(&tprintk_timer);
	pr_info("%u of %u ticks traced\n", done, ticks);
}

module_init(tprintk_init);
module_exit(tprintk_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("trace_printk() from a timer");
