#!/bin/sh
# where: guest
# requires: CONFIG_PROVE_LOCKING
# expect-bug: WARNING: possible circular locking dependency detected
# expect-bug: buggy_abba_withdraw
# buggy_abba: lockdep sees locks taken in both orders, before any deadlock.
. tests/lib/module.sh
load buggy/buggy_abba
unload buggy_abba
