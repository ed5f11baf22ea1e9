// SPDX-License-Identifier: GPL-2.0
/*
 * vbus - a small virtual bus, with a driver for it, to show the driver
 * model at work.
 *
 * The bus matches a device to a driver when the device's name starts with
 * the driver's name; the driver core then calls the driver's probe(), and
 * remove() when the two are unbound. Devices are made and removed from
 * user space through two bus attributes, as I2C does with new_device.
 *
 * Teaches: bus_type with match/probe/remove, device_driver, struct device
 * lifetime (release), bus attributes, and where it all shows in sysfs.
 *
 * In the lab:
 *   insmod /lab/build/modules/vbus/vbus.ko
 *   echo demo0 > /sys/bus/vbus/new_device     (binds to driver "demo")
 *   ls -l /sys/bus/vbus/devices/ /sys/bus/vbus/drivers/demo/
 *   echo demo0 > /sys/bus/vbus/drivers/demo/unbind     (remove runs)
 *   echo demo0 > /sys/bus/vbus/drivers/demo/bind       (probe runs)
 *   echo demo0 > /sys/bus/vbus/delete_device
 *   rmmod vbus
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#define VBUS_NAME_MAX	32

struct vbus_device {
	struct device dev;
	struct list_head node;	/* in vbus_devices */
};

#define to_vbus_device(d) container_of(d, struct vbus_device, dev)

static LIST_HEAD(vbus_devices);
static DEFINE_MUTEX(vbus_lock);		/* protects vbus_devices */

static int vbus_match(struct device *dev, const struct device_driver *drv)
{
	return strncmp(dev_name(dev), drv->name, strlen(drv->name)) == 0;
}

static int vbus_probe(struct device *dev)
{
	struct device_driver *drv = dev->driver;

	dev_info(dev, "probe: bound to driver %s\n", drv->name);
	return 0;
}

static void vbus_remove(struct device *dev)
{
	dev_info(dev, "remove: unbound from driver %s\n", dev->driver->name);
}

/* The parent of the bus's devices: /sys/devices/vbus/ */
static struct device *vbus_root;

static ssize_t new_device_store(const struct bus_type *bus, const char *buf,
				size_t count);
static ssize_t delete_device_store(const struct bus_type *bus,
				   const char *buf, size_t count);
static BUS_ATTR_WO(new_device);
static BUS_ATTR_WO(delete_device);

static struct attribute *vbus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_delete_device.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vbus);

static const struct bus_type vbus_type = {
	.name = "vbus",
	.match = vbus_match,
	.probe = vbus_probe,
	.remove = vbus_remove,
	.bus_groups = vbus_groups,
};

static void vbus_device_release(struct device *dev)
{
	kfree(to_vbus_device(dev));
}

/* "name\n" from sysfs -> "name"; -EINVAL if empty or too long */
static int vbus_parse_name(const char *buf, size_t count, char *name)
{
	size_t len = strcspn(buf, "\n");

	if (len == 0 || len >= VBUS_NAME_MAX || len < count - 1)
		return -EINVAL;
	memcpy(name, buf, len);
	name[len] = '\0';
	return 0;
}

/* The device on the bus named @name, or NULL; vbus_lock held. */
static struct vbus_device *vbus_find(const char *name)
{
	struct vbus_device *vdev;

	list_for_each_entry(vdev, &vbus_devices, node)
		if (!strcmp(dev_name(&vdev->dev), name))
			return vdev;
	return NULL;
}

static ssize_t new_device_store(const struct bus_type *bus, const char *buf,
				size_t count)
{
	char name[VBUS_NAME_MAX];
	struct vbus_device *vdev;
	int ret;

	ret = vbus_parse_name(buf, count, name);
	if (ret)
		return ret;

	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return -ENOMEM;
	vdev->dev.bus = &vbus_type;
	vdev->dev.parent = vbus_root;
	vdev->dev.release = vbus_device_release;
	/* from here on, put_device() frees vdev (and its name) */
	device_initialize(&vdev->dev);

	mutex_lock(&vbus_lock);
	/* sysfs would refuse the name too, but with a warning and a stack */
	ret = vbus_find(name) ? -EEXIST : dev_set_name(&vdev->dev, "%s", name);
	/* device_add() probes a matching driver before returning */
	if (!ret)
		ret = device_add(&vdev->dev);
	if (ret) {
		mutex_unlock(&vbus_lock);
		put_device(&vdev->dev);	/* frees vdev through release */
		return ret;
	}
	list_add_tail(&vdev->node, &vbus_devices);
	mutex_unlock(&vbus_lock);
	dev_info(&vdev->dev, "device added\n");
	return count;
}

static ssize_t delete_device_store(const struct bus_type *bus,
				   const char *buf, size_t count)
{
	char name[VBUS_NAME_MAX];
	struct vbus_device *found;
	int ret;

	ret = vbus_parse_name(buf, count, name);
	if (ret)
		return ret;

	mutex_lock(&vbus_lock);
	found = vbus_find(name);
	if (found)
		list_del(&found->node);
	mutex_unlock(&vbus_lock);
	if (!found)
		return -ENODEV;

	dev_info(&found->dev, "deleting device\n");
	device_unregister(&found->dev);
	return count;
}

/* The bus's one driver: takes every device named demo<something>. */
static struct device_driver vbus_demo_driver = {
	.name = "demo",
	.bus = &vbus_type,
	.owner = THIS_MODULE,
};

static int __init vbus_init(void)
{
	int ret;

	vbus_root = root_device_register("vbus");
	if (IS_ERR(vbus_root))
		return PTR_ERR(vbus_root);
	ret = bus_register(&vbus_type);
	if (ret)
		goto err_unregister_root;
	ret = driver_register(&vbus_demo_driver);
	if (ret)
		goto err_unregister_bus;
	pr_info("bus vbus with driver demo registered\n");
	return 0;

err_unregister_bus:
	bus_unregister(&vbus_type);
err_unregister_root:
	root_device_unregister(vbus_root);
	return ret;
}

static void __exit vbus_exit(void)
{
	struct vbus_device *vdev, *tmp;

	/* Devices left behind go first: each unbind runs remove(). */
	list_for_each_entry_safe(vdev, tmp, &vbus_devices, node) {
		list_del(&vdev->node);
		device_unregister(&vdev->dev);
	}
	driver_unregister(&vbus_demo_driver);
	bus_unregister(&vbus_type);
	root_device_unregister(vbus_root);
	pr_info("bus vbus unregistered\n");
}

module_init(vbus_init);
module_exit(vbus_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("A virtual bus with match, probe and remove, and a driver for it");
