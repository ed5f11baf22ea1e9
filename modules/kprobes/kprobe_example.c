// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe_example - run handlers before and after a kernel function.
 *
 * A kprobe replaces the first instruction of a kernel function with a
 * breakpoint; pre_handler runs before the function, post_handler after
 * that single instruction. Here: every call of kernel_clone(), that is
 * every fork, is logged with the task that made it.
 *
 * Teaches: register_kprobe/unregister_kprobe, struct kprobe handlers.
 * Needs CONFIG_KPROBES. UML 6.12 cannot have it (arch/um does not select
 * HAVE_KPROBES), so in this lab the module is not built and its test is
 * skipped; it builds on any kernel that has kprobes.
 *
 * Where kprobes exist:
 *   insmod kprobe_example.ko symbol=kernel_clone; ls; dmesg | tail
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched.h>

static char symbol[KSYM_NAME_LEN] = "kernel_clone";
module_param_string(symbol, symbol, sizeof(symbol), 0444);
MODULE_PARM_DESC(symbol, "kernel function to probe (default: kernel_clone)");

static struct kprobe kp = {
	.symbol_name = symbol,
};

static int handler_pre(struct kprobe *p, struct pt_regs *regs)
{
	pr_info("<%s> pre_handler: %s (pid %d), addr %pS\n", p->symbol_name,
		current->comm, task_pid_nr(current), p->addr);
	return 0;
}

static void handler_post(struct kprobe *p, struct pt_regs *regs,
			 unsigned long flags)
{
	pr_info("<%s> post_handler: %s (pid %d)\n", p->symbol_name,
		current->comm, task_pid_nr(current));
}

static int __init kprobe_example_init(void)
{
	int ret;

	kp.pre_handler = handler_pre;
	kp.post_handler = handler_post;
	ret = register_kprobe(&kp);
	if (ret < 0) {
		pr_err("register_kprobe on %s failed: %d\n", symbol, ret);
		return ret;
	}
	pr_info("planted a kprobe at %pS\n", kp.addr);
	return 0;
}

static void __exit kprobe_example_exit(void)
{
	unregister_kprobe(&kp);
	pr_info("kprobe at %pS removed\n", kp.addr);
}

module_init(kprobe_example_init);
module_exit(kprobe_example_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("A kprobe with pre and post handlers");
