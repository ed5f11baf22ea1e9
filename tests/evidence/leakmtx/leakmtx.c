// SPDX-License-Identifier: GPL-2.0
/*
 * leakmtx - a read that returns with its mutex held at the end of the
 * data: the next reader blocks for good (tests/evidence.sh).
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>

static DEFINE_MUTEX(buf_lock);
static const char buf[] = "data\n";

static ssize_t leakmtx_read(struct file *file, char __user *ubuf, size_t len,
			    loff_t *pos)
{
	ssize_t ret;

	mutex_lock(&buf_lock);
	ret = simple_read_from_buffer(ubuf, len, pos, buf, sizeof(buf) - 1);
	if (ret == 0)
		return 0;	/* the bug: returns with buf_lock held */
	mutex_unlock(&buf_lock);
	return ret;
}

static const struct file_operations leakmtx_fops = {
	.owner = THIS_MODULE,
	.read = leakmtx_read,
};

static struct miscdevice leakmtx_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "leakmtx",
	.fops = &leakmtx_fops,
	.mode = 0444,
};
module_misc_device(leakmtx_misc);
MODULE_LICENSE("GPL");
