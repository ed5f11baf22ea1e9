/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksort's sorting, apart from the device: visible to its KUnit suite
 * (ksort_kunit.c) when the kernel has KUnit, static otherwise.
 */
#ifndef _KSORT_SORT_H
#define _KSORT_SORT_H

#include <linux/types.h>

#if IS_ENABLED(CONFIG_KUNIT)
void ksort_merge(int *a, size_t na, size_t n, int *tmp);
int ksort_sort(int *data, size_t n);
#endif

#endif /* _KSORT_SORT_H */
