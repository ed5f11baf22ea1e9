/* SPDX-License-Identifier: GPL-2.0 */
/* @NAME@'s functions under test: visible to @NAME@_kunit.c with KUnit */
#ifndef _@UNAME@_H
#define _@UNAME@_H

#if IS_ENABLED(CONFIG_KUNIT)
int @NAME@_clamp(int v, int lo, int hi);
#endif

#endif /* _@UNAME@_H */
