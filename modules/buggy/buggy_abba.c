// SPDX-License-Identifier: GPL-2.0
/*
 * buggy_abba - takes two locks in one order on one path and in the other
 * order on another: two threads on those paths can deadlock.
 *
 * Nothing deadlocks here (one thread takes both paths in turn), but
 * lockdep learns the order A -> B from the first and reports
 * "possible circular locking dependency detected" at the second.
 *
 *   make test PROFILE=debug T=buggy_abba
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static int balance;

static noinline void buggy_abba_deposit(void)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	balance++;
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
}

static noinline void buggy_abba_withdraw(void)
{
	mutex_lock(&lock_b);	/* the bug: B before A */
	mutex_lock(&lock_a);
	balance--;
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

static int __init buggy_abba_init(void)
{
	buggy_abba_deposit();
	buggy_abba_withdraw();
	pr_info("balance %d\n", balance);
	return 0;
}

static void __exit buggy_abba_exit(void)
{
}

module_init(buggy_abba_init);
module_exit(buggy_abba_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate bug: AB-BA lock order");
