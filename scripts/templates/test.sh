#!/bin/sh
# where: guest
# @NAME@: loads, says so, and unloads. Exercise the module here: its
# device, sysfs or debugfs files, and what the kernel logs.
. tests/lib/module.sh

load @NAME@/@NAME@
expect_dmesg "@NAME@: loaded"
unload @NAME@
expect_dmesg "@NAME@: unloaded"
