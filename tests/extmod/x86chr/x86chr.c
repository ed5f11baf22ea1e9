// SPDX-License-Identifier: GPL-2.0
/*
 * x86chr - a character device written the way it is written on x86: it
 * includes what it names itself (module, init, cdev, device) and counts on
 * x86's headers for the rest (struct file and file_operations, O_NONBLOCK
 * and alloc_chrdev_region from <linux/fs.h>, copy_to_user from
 * <linux/uaccess.h>), as code that builds on x86 often does.
 *
 *   cat /dev/x86chr          -> "hello from x86chr"
 *   a read with O_NONBLOCK   -> EAGAIN
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/module.h>

static const char greeting[] = "hello from x86chr\n";

static dev_t x86chr_dev;
static struct cdev x86chr_cdev;
static struct class *x86chr_class;

static ssize_t x86chr_read(struct file *file, char __user *buf, size_t len,
			   loff_t *pos)
{
	size_t left;

	if (file->f_flags & O_NONBLOCK)
		return -EAGAIN;
	if (*pos >= sizeof(greeting) - 1)
		return 0;
	left = sizeof(greeting) - 1 - *pos;
	if (len > left)
		len = left;
	if (copy_to_user(buf, greeting + *pos, len))
		return -EFAULT;
	*pos += len;
	return len;
}

static const struct file_operations x86chr_fops = {
	.owner = THIS_MODULE,
	.read = x86chr_read,
};

static int __init x86chr_init(void)
{
	struct device *dev;
	int ret;

	ret = alloc_chrdev_region(&x86chr_dev, 0, 1, "x86chr");
	if (ret)
		return ret;
	cdev_init(&x86chr_cdev, &x86chr_fops);
	ret = cdev_add(&x86chr_cdev, x86chr_dev, 1);
	if (ret)
		goto err_unregister;
	x86chr_class = class_create("x86chr");
	if (IS_ERR(x86chr_class)) {
		ret = PTR_ERR(x86chr_class);
		goto err_cdev_del;
	}
	dev = device_create(x86chr_class, NULL, x86chr_dev, NULL, "x86chr");
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_class_destroy;
	}
	pr_info("ready\n");
	return 0;

err_class_destroy:
	class_destroy(x86chr_class);
err_cdev_del:
	cdev_del(&x86chr_cdev);
err_unregister:
	unregister_chrdev_region(x86chr_dev, 1);
	return ret;
}

static void __exit x86chr_exit(void)
{
	device_destroy(x86chr_class, x86chr_dev);
	class_destroy(x86chr_class);
	cdev_del(&x86chr_cdev);
	unregister_chrdev_region(x86chr_dev, 1);
}

module_init(x86chr_init);
module_exit(x86chr_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("A character device written on x86, built unchanged");
