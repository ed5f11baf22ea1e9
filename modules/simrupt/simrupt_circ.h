/* SPDX-License-Identifier: GPL-2.0 */
/*
 * simrupt's circular buffer between the top half and the mover, apart from
 * the device: visible to its KUnit suite (simrupt_kunit.c) when the kernel
 * has KUnit, static otherwise.
 */
#ifndef _SIMRUPT_CIRC_H
#define _SIMRUPT_CIRC_H

#include <linux/circ_buf.h>
#include <linux/types.h>

#define SIMRUPT_CIRC_SIZE	64	/* a power of two */

#if IS_ENABLED(CONFIG_KUNIT)
bool simrupt_circ_put(struct circ_buf *c, char byte);
unsigned int simrupt_circ_take(struct circ_buf *c, char *out,
			       unsigned int max);
#endif

#endif /* _SIMRUPT_CIRC_H */
