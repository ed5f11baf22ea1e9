/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _EXPORT_PROVIDER_H
#define _EXPORT_PROVIDER_H

int export_provider_greet(const char *who);

#endif /* _EXPORT_PROVIDER_H */
