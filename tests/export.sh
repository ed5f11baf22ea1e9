#!/bin/sh
# where: guest
# export: a module using an exported symbol needs its provider loaded
# first, and the provider cannot go while it is used.
. tests/lib/module.sh

if insmod "$MODDIR/export/export_consumer.ko" 2>/dev/null; then
	fail "export_consumer loaded without export_provider"
fi
expect_dmesg "export_consumer: Unknown symbol export_provider_greet"
ok "consumer refused without its provider"

load export/export_provider
load export/export_consumer
expect_dmesg "export_provider: greeting export_consumer (call 1)"
expect_dmesg "export_consumer: loaded; the provider has been called 1 time(s)"
[ -e /sys/module/export_provider/holders/export_consumer ] ||
	fail "export_consumer is not listed as a holder of export_provider"
lsmod | grep -q "^export_provider .* export_consumer" ||
	fail "lsmod does not show export_provider used by export_consumer"
ok "provider used by consumer"

if rmmod export_provider 2>/dev/null; then
	fail "export_provider was removed while in use"
fi
grep -q "^export_provider " /proc/modules || fail "export_provider vanished"
ok "provider cannot be removed while in use"

unload export_consumer
expect_dmesg "export_provider: greeting export_consumer on its way out (call 2)"
unload export_provider
expect_dmesg "export_provider: unloaded after 2 calls"
