// SPDX-License-Identifier: GPL-2.0
/*
 * simrupt - simulated interrupts, top half to bottom half to reader.
 *
 * A timer stands in for a device interrupt. Its handler is the top half:
 * with local interrupts off it puts the next byte of a sequence (0, 1, 2,
 * ... 255, 0, ...) into a lock-free circular buffer and schedules the
 * bottom half on the BH workqueue. The bottom half queues work on an
 * ordinary workqueue, which moves the bytes into a kfifo and wakes the
 * readers of /dev/simrupt. The timer runs only while the device is open.
 *
 * Teaches: timer_list, local_irq_save, circ_buf with acquire/release,
 * BH workqueue (the tasklet's successor), workqueues, kfifo, wait queues,
 * blocking and O_NONBLOCK read, poll, and trace events of its own for each
 * stage (simrupt_trace.h), to watch it work next to the kernel's.
 *
 * In the lab:
 *   insmod /lab/build/modules/simrupt/simrupt.ko period_ms=5
 *   echo 1 > /sys/kernel/tracing/events/simrupt/enable
 *   /lab/build/modules/simrupt/user/simrupt-read 100
 *   cat /sys/kernel/tracing/trace
 *   rmmod simrupt
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/circ_buf.h>
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "simrupt_circ.h"
#define CREATE_TRACE_POINTS
#include "simrupt_trace.h"

static unsigned int period_ms = 10;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "milliseconds between simulated interrupts (default 10)");

/* Top half -> bottom half: one producer (the timer), one consumer (work). */
static char circ_data[SIMRUPT_CIRC_SIZE];
static struct circ_buf circ = { .buf = circ_data };

/* Work -> readers */
static DEFINE_KFIFO(fifo, char, PAGE_SIZE);
static DEFINE_MUTEX(fifo_lock);		/* serialises kfifo readers */
static DECLARE_WAIT_QUEUE_HEAD(readers);

static struct timer_list simrupt_timer;
static struct workqueue_struct *simrupt_wq;
static u8 next_byte;
static atomic_t open_count = ATOMIC_INIT(0);
static unsigned long dropped;

/*
 * The producer's side of @c, with one producer: put @byte in it, or
 * return false when it is full.
 */
VISIBLE_IF_KUNIT bool simrupt_circ_put(struct circ_buf *c, char byte)
{
	unsigned long head = c->head, tail = READ_ONCE(c->tail);

	if (CIRC_SPACE(head, tail, SIMRUPT_CIRC_SIZE) < 1)
		return false;
	c->buf[head] = byte;
	/* publish the byte before the new head (simrupt_circ_take()) */
	smp_store_release(&c->head, (head + 1) & (SIMRUPT_CIRC_SIZE - 1));
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(simrupt_circ_put);

/*
 * The consumer's side of @c, with one consumer: take up to @max bytes,
 * oldest first, into @out; returns how many.
 */
VISIBLE_IF_KUNIT unsigned int simrupt_circ_take(struct circ_buf *c, char *out,
						unsigned int max)
{
	/* pairs with the release in simrupt_circ_put(): see its bytes */
	unsigned long head = smp_load_acquire(&c->head), tail = c->tail;
	unsigned int n = 0;

	while (n < max && CIRC_CNT(head, tail, SIMRUPT_CIRC_SIZE) > 0) {
		out[n++] = c->buf[tail];
		tail = (tail + 1) & (SIMRUPT_CIRC_SIZE - 1);
	}
	/* the slots are free again only after we read them */
	smp_store_release(&c->tail, tail);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(simrupt_circ_take);

/* Bottom half stage two: in process context, may sleep. */
static void simrupt_move(struct work_struct *work)
{
	char bytes[SIMRUPT_CIRC_SIZE];
	unsigned int moved, i;

	moved = simrupt_circ_take(&circ, bytes, sizeof(bytes));
	for (i = 0; i < moved; i++)
		if (!kfifo_put(&fifo, bytes[i]))
			dropped++;	/* nobody reads: drop the oldest */

	if (moved) {
		trace_simrupt_move(moved, bytes[0], bytes[moved - 1],
				   kfifo_len(&fifo));
		wake_up_interruptible(&readers);
	}
}
static DECLARE_WORK(simrupt_move_work, simrupt_move);

/* Bottom half: softirq context, runs soon after the top half. */
static void simrupt_bh(struct work_struct *work)
{
	queue_work(simrupt_wq, &simrupt_move_work);
}
static DECLARE_WORK(simrupt_bh_work, simrupt_bh);

/* Top half: as short as possible, interrupts off as in a real handler. */
static void simrupt_interrupt(struct timer_list *t)
{
	unsigned long flags, head, tail;
	bool room;

	local_irq_save(flags);
	head = circ.head;
	tail = READ_ONCE(circ.tail);
	room = CIRC_SPACE(head, tail, SIMRUPT_CIRC_SIZE) >= 1;
	trace_simrupt_irq(next_byte, head, !room);
	if (room && simrupt_circ_put(&circ, next_byte))
		next_byte++;
	else
		dropped++;
	local_irq_restore(flags);

	queue_work(system_bh_wq, &simrupt_bh_work);
	mod_timer(&simrupt_timer, jiffies + msecs_to_jiffies(period_ms));
}

static int simrupt_open(struct inode *inode, struct file *file)
{
	if (atomic_inc_return(&open_count) == 1) {
		/* first opener: a fresh sequence, and start "interrupts" */
		circ.head = 0;
		circ.tail = 0;
		kfifo_reset(&fifo);
		next_byte = 0;
		mod_timer(&simrupt_timer, jiffies + msecs_to_jiffies(period_ms));
		pr_info("open: interrupts every %u ms\n", period_ms);
	}
	return 0;
}

static int simrupt_release(struct inode *inode, struct file *file)
{
	if (atomic_dec_and_test(&open_count)) {
		timer_delete_sync(&simrupt_timer);
		cancel_work_sync(&simrupt_bh_work);
		cancel_work_sync(&simrupt_move_work);
		pr_info("release: interrupts stopped (%lu bytes dropped)\n",
			dropped);
	}
	return 0;
}

static ssize_t simrupt_read(struct file *file, char __user *buf, size_t count,
			    loff_t *ppos)
{
	unsigned int copied;
	char first;
	int ret;

	do {
		if (kfifo_is_empty(&fifo)) {
			if (file->f_flags & O_NONBLOCK)
				return -EAGAIN;
			ret = wait_event_interruptible(readers,
						       !kfifo_is_empty(&fifo));
			if (ret)
				return ret;	/* a signal: -ERESTARTSYS */
		}
		if (mutex_lock_interruptible(&fifo_lock))
			return -ERESTARTSYS;
		if (!kfifo_peek(&fifo, &first))
			first = 0;	/* emptied by another reader */
		ret = kfifo_to_user(&fifo, buf, count, &copied);
		mutex_unlock(&fifo_lock);
		if (ret)
			return ret;
	} while (copied == 0);	/* another reader was faster */

	trace_simrupt_read(count, copied, first);
	return copied;
}

static __poll_t simrupt_poll(struct file *file, poll_table *wait)
{
	poll_wait(file, &readers, wait);
	return kfifo_is_empty(&fifo) ? 0 : EPOLLIN | EPOLLRDNORM;
}

static const struct file_operations simrupt_fops = {
	.owner = THIS_MODULE,
	.open = simrupt_open,
	.release = simrupt_release,
	.read = simrupt_read,
	.poll = simrupt_poll,
	.llseek = noop_llseek,
};

static struct miscdevice simrupt_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "simrupt",
	.fops = &simrupt_fops,
	.mode = 0444,
};

static int __init simrupt_init(void)
{
	int ret;

	if (period_ms == 0) {
		pr_err("period_ms must be at least 1\n");
		return -EINVAL;
	}

	simrupt_wq = alloc_workqueue("simrupt", WQ_UNBOUND, 1);
	if (!simrupt_wq)
		return -ENOMEM;
	timer_setup(&simrupt_timer, simrupt_interrupt, 0);

	ret = misc_register(&simrupt_misc);
	if (ret) {
		pr_err("cannot register /dev/simrupt: %d\n", ret);
		goto err_destroy_wq;
	}
	pr_info("/dev/simrupt ready\n");
	return 0;

err_destroy_wq:
	destroy_workqueue(simrupt_wq);
	return ret;
}

static void __exit simrupt_exit(void)
{
	/* No file is open (it would hold a module reference): timer idle. */
	misc_deregister(&simrupt_misc);
	timer_shutdown_sync(&simrupt_timer);
	cancel_work_sync(&simrupt_bh_work);
	destroy_workqueue(simrupt_wq);
	pr_info("unloaded\n");
}

module_init(simrupt_init);
module_exit(simrupt_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("Simulated interrupts: timer, circular buffer, BH workqueue, kfifo");
