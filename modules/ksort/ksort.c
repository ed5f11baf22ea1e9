// SPDX-License-Identifier: GPL-2.0
/*
 * ksort - sort integers in the kernel, through a character device.
 *
 * Teaches: miscdevice (the node appears in devtmpfs, no udev), per-open
 * state in file->private_data, copy_{from,to}_user with real errnos,
 * kvmalloc for large buffers, lib/sort, splitting work across a workqueue
 * and waiting for it, ktime for timing, and an ioctl.
 *
 * In the lab:
 *   insmod /lab/build/modules/ksort/ksort.ko
 *   /lab/build/modules/ksort/user/ksort -n 100000
 *   rmmod ksort
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "ksort.h"
#include "ksort_sort.h"

/* Arrays at least this long are sorted in two halves by a workqueue. */
static unsigned int split_min = 4096;
module_param(split_min, uint, 0644);
MODULE_PARM_DESC(split_min,
		 "sort in two parallel halves from this many ints (default 4096)");

struct ksort_buf {
	struct mutex lock;	/* protects everything below */
	int *data;
	size_t n;		/* ints in data */
	u64 nsecs;		/* time of the last sort */
};

struct ksort_part {
	struct work_struct work;
	int *data;
	size_t n;
};

static int ksort_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void ksort_part_fn(struct work_struct *work)
{
	struct ksort_part *part = container_of(work, struct ksort_part, work);

	sort(part->data, part->n, sizeof(int), ksort_cmp, NULL);
}

/* Merge the sorted halves a[0..na) and a[na..n) through tmp. */
VISIBLE_IF_KUNIT void ksort_merge(int *a, size_t na, size_t n, int *tmp)
{
	size_t i = 0, j = na, k = 0;

	while (i < na && j < n)
		tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
	while (i < na)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(int));
}
EXPORT_SYMBOL_IF_KUNIT(ksort_merge);

/* Sort data[0..n): in two halves on a workqueue from split_min ints on. */
VISIBLE_IF_KUNIT int ksort_sort(int *data, size_t n)
{
	struct ksort_part half[2];
	int *tmp;
	int i;

	if (n < split_min || n < 2) {
		sort(data, n, sizeof(int), ksort_cmp, NULL);
		return 0;
	}

	tmp = kvmalloc_array(n, sizeof(int), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;

	half[0].data = data;
	half[0].n = n / 2;
	half[1].data = data + n / 2;
	half[1].n = n - n / 2;
	for (i = 0; i < 2; i++) {
		INIT_WORK_ONSTACK(&half[i].work, ksort_part_fn);
		queue_work(system_unbound_wq, &half[i].work);
	}
	for (i = 0; i < 2; i++) {
		flush_work(&half[i].work);
		destroy_work_on_stack(&half[i].work);
	}

	ksort_merge(data, half[0].n, n, tmp);
	kvfree(tmp);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ksort_sort);

static int ksort_open(struct inode *inode, struct file *file)
{
	struct ksort_buf *buf;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_init(&buf->lock);
	file->private_data = buf;
	return 0;
}

static int ksort_release(struct inode *inode, struct file *file)
{
	struct ksort_buf *buf = file->private_data;

	kvfree(buf->data);
	mutex_destroy(&buf->lock);
	kfree(buf);
	return 0;
}

static ssize_t ksort_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct ksort_buf *buf = file->private_data;
	size_t n = len / sizeof(int);
	ktime_t start;
	int *data;
	int ret;

	if (len == 0 || len % sizeof(int) || len > KSORT_MAX_BYTES)
		return -EINVAL;

	data = kvmalloc_array(n, sizeof(int), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	if (copy_from_user(data, ubuf, len)) {
		ret = -EFAULT;
		goto err_free_data;
	}

	start = ktime_get();
	ret = ksort_sort(data, n);
	if (ret)
		goto err_free_data;

	mutex_lock(&buf->lock);
	kvfree(buf->data);
	buf->data = data;
	buf->n = n;
	buf->nsecs = ktime_to_ns(ktime_sub(ktime_get(), start));
	mutex_unlock(&buf->lock);

	*ppos = 0;
	return len;

err_free_data:
	kvfree(data);
	return ret;
}

static ssize_t ksort_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	struct ksort_buf *buf = file->private_data;
	ssize_t ret;

	mutex_lock(&buf->lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, buf->data,
				      buf->n * sizeof(int));
	mutex_unlock(&buf->lock);
	return ret;
}

static long ksort_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ksort_buf *buf = file->private_data;
	u64 nsecs;

	switch (cmd) {
	case KSORT_IOC_GET_NSECS:
		mutex_lock(&buf->lock);
		nsecs = buf->nsecs;
		mutex_unlock(&buf->lock);
		if (copy_to_user((u64 __user *)arg, &nsecs, sizeof(nsecs)))
			return -EFAULT;
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ksort_fops = {
	.owner = THIS_MODULE,
	.open = ksort_open,
	.release = ksort_release,
	.read = ksort_read,
	.write = ksort_write,
	.unlocked_ioctl = ksort_ioctl,
	.llseek = default_llseek,
};

static struct miscdevice ksort_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ksort",
	.fops = &ksort_fops,
	.mode = 0666,
};

static int __init ksort_init(void)
{
	int ret;

	ret = misc_register(&ksort_misc);
	if (ret) {
		pr_err("cannot register /dev/ksort: %d\n", ret);
		return ret;
	}
	pr_info("/dev/ksort ready, up to %d ints a write\n",
		KSORT_MAX_BYTES / (int)sizeof(int));
	return 0;
}

static void __exit ksort_exit(void)
{
	misc_deregister(&ksort_misc);
	pr_info("/dev/ksort removed\n");
}

module_init(ksort_init);
module_exit(ksort_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("Sorts integers written to /dev/ksort");
