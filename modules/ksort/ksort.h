/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ksort - user space interface of /dev/ksort, shared by the module and
 * its client.
 *
 * write() an array of int (native endianness), read() it back sorted.
 * The array must be a whole number of ints and at most KSORT_MAX_BYTES:
 * anything else fails with EINVAL.
 */
#ifndef _KSORT_H
#define _KSORT_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KSORT_MAX_BYTES		(1 << 20)

/* Nanoseconds the kernel spent sorting the last array written. */
#define KSORT_IOC_GET_NSECS	_IOR('k', 1, __u64)

#endif /* _KSORT_H */
