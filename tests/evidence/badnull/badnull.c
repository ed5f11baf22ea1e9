// SPDX-License-Identifier: GPL-2.0
/*
 * badnull - a NULL dereference in init (init=1) or in an ioctl (init=0,
 * then any ioctl on /dev/badnull), for tests/evidence.sh.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static bool init = true;
module_param(init, bool, 0444);

struct badnull_state {
	int count;
};

static struct badnull_state *badnull_state;	/* never set */

static long badnull_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	return badnull_state->count++;
}

static const struct file_operations badnull_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = badnull_ioctl,
};

static struct miscdevice badnull_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "badnull",
	.fops = &badnull_fops,
	.mode = 0666,
};

static int __init badnull_init(void)
{
	if (init)
		return badnull_state->count;
	return misc_register(&badnull_misc);
}

static void __exit badnull_exit(void)
{
	misc_deregister(&badnull_misc);
}

module_init(badnull_init);
module_exit(badnull_exit);
MODULE_LICENSE("GPL");
