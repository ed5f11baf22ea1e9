// SPDX-License-Identifier: GPL-2.0
/*
 * dbgfs - a debugfs directory with a plain value and a file of its own.
 *
 * Teaches: debugfs_create_dir/_u32 for a value with no code of its own,
 * debugfs_create_file with read/write handlers for anything else,
 * simple_read_from_buffer, and debugfs_remove_recursive on unload.
 *
 * In the lab (debugfs is mounted at /sys/kernel/debug):
 *   insmod /lab/build/modules/dbgfs/dbgfs.ko
 *   cat /sys/kernel/debug/dbgfs/counter; echo 42 > .../counter
 *   echo hello > /sys/kernel/debug/dbgfs/message; cat .../message
 *   rmmod dbgfs
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>

#define DBGFS_MSG_MAX	64

static struct dentry *dbgfs_dir;
static u32 counter;
static char message[DBGFS_MSG_MAX] = "empty\n";
static size_t message_len = 6;
static DEFINE_MUTEX(message_lock);	/* protects message and message_len */

static ssize_t message_read(struct file *file, char __user *buf, size_t count,
			    loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&message_lock);
	ret = simple_read_from_buffer(buf, count, ppos, message, message_len);
	mutex_unlock(&message_lock);
	return ret;
}

/* The whole message in one write, of at most DBGFS_MSG_MAX bytes. */
static ssize_t message_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	char tmp[DBGFS_MSG_MAX];

	if (*ppos != 0 || count == 0 || count > DBGFS_MSG_MAX)
		return -EINVAL;
	if (copy_from_user(tmp, buf, count))
		return -EFAULT;

	mutex_lock(&message_lock);
	memcpy(message, tmp, count);
	message_len = count;
	mutex_unlock(&message_lock);
	counter++;	/* count the writes, for the curious */
	*ppos = count;
	return count;
}

static const struct file_operations message_fops = {
	.owner = THIS_MODULE,
	.read = message_read,
	.write = message_write,
	.llseek = default_llseek,
};

static int __init dbgfs_init(void)
{
	dbgfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(dbgfs_dir)) {
		pr_err("cannot create the debugfs directory: %ld\n",
		       PTR_ERR(dbgfs_dir));
		return PTR_ERR(dbgfs_dir);
	}
	/* debugfs reports its own errors; the return values need no check */
	debugfs_create_u32("counter", 0644, dbgfs_dir, &counter);
	debugfs_create_file("message", 0644, dbgfs_dir, NULL, &message_fops);
	pr_info("files in /sys/kernel/debug/%s/\n", KBUILD_MODNAME);
	return 0;
}

static void __exit dbgfs_exit(void)
{
	debugfs_remove_recursive(dbgfs_dir);
	pr_info("removed, counter was %u\n", counter);
}

module_init(dbgfs_init);
module_exit(dbgfs_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("A debugfs directory with a u32 and a file with its own handlers");
