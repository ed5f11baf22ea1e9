// SPDX-License-Identifier: GPL-2.0
/*
 * shout - a character device that answers in capitals: what is written to
 * /dev/shout is kept (up to 256 bytes) and read back upper-cased. A typical
 * first assignment: a cdev with a dynamic major, a class and a device node,
 * copy_{to,from}_user, and a mutex around the buffer.
 *
 *   sudo insmod shout.ko
 *   echo hello > /dev/shout; cat /dev/shout
 *   sudo rmmod shout
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>

#define SHOUT_SIZE 256

static char shout_buf[SHOUT_SIZE];
static size_t shout_len;
static DEFINE_MUTEX(shout_lock);

/* /dev/shout for everyone: the client runs as the user, not with sudo */
static char *shout_devnode(const struct device *dev, umode_t *mode)
{
	if (mode)
		*mode = 0666;
	return NULL;
}

static dev_t shout_dev;
static struct cdev shout_cdev;
static struct class *shout_class;

static ssize_t shout_read(struct file *file, char __user *buf, size_t count,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&shout_lock);
	ret = simple_read_from_buffer(buf, count, ppos, shout_buf, shout_len);
	mutex_unlock(&shout_lock);
	return ret;
}

static ssize_t shout_write(struct file *file, const char __user *buf,
			   size_t count, loff_t *ppos)
{
	char tmp[SHOUT_SIZE];
	size_t i;

	if (count > SHOUT_SIZE)
		return -EFBIG;
	if (copy_from_user(tmp, buf, count))
		return -EFAULT;
	for (i = 0; i < count; i++)
		tmp[i] = toupper(tmp[i]);

	mutex_lock(&shout_lock);
	memcpy(shout_buf, tmp, count);
	shout_len = count;
	mutex_unlock(&shout_lock);
	pr_info("kept %zu bytes\n", count);
	return count;
}

static const struct file_operations shout_fops = {
	.owner = THIS_MODULE,
	.read = shout_read,
	.write = shout_write,
};

static int __init shout_init(void)
{
	struct device *dev;
	int ret;

	ret = alloc_chrdev_region(&shout_dev, 0, 1, "shout");
	if (ret)
		return ret;

	cdev_init(&shout_cdev, &shout_fops);
	ret = cdev_add(&shout_cdev, shout_dev, 1);
	if (ret)
		goto err_unregister;

	shout_class = class_create("shout");
	if (IS_ERR(shout_class)) {
		ret = PTR_ERR(shout_class);
		goto err_cdev_del;
	}
	shout_class->devnode = shout_devnode;

	dev = device_create(shout_class, NULL, shout_dev, NULL, "shout");
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_class_destroy;
	}

	pr_info("ready on major %d\n", MAJOR(shout_dev));
	return 0;

err_class_destroy:
	class_destroy(shout_class);
err_cdev_del:
	cdev_del(&shout_cdev);
err_unregister:
	unregister_chrdev_region(shout_dev, 1);
	return ret;
}

static void __exit shout_exit(void)
{
	device_destroy(shout_class, shout_dev);
	class_destroy(shout_class);
	cdev_del(&shout_cdev);
	unregister_chrdev_region(shout_dev, 1);
	pr_info("gone\n");
}

module_init(shout_init);
module_exit(shout_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("A character device that answers in capitals");
