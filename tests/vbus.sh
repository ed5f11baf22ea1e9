#!/bin/sh
# where: guest
# vbus: the driver core binds a device to the driver that matches it
# (probe), unbinds it (remove), and shows it all under /sys/bus/vbus.
. tests/lib/module.sh
bus=/sys/bus/vbus

load vbus/vbus
[ -d "$bus/drivers/demo" ] || fail "driver demo is not in $bus/drivers"

echo demo0 > "$bus/new_device" || fail "new_device demo0"
[ -e "$bus/devices/demo0" ] || fail "demo0 is not in $bus/devices"
[ -e "$bus/drivers/demo/demo0" ] || fail "demo0 is not bound to demo"
expect_dmesg "demo demo0: probe: bound to driver demo"

echo other1 > "$bus/new_device" || fail "new_device other1"
[ -e "$bus/devices/other1" ] || fail "other1 is not in $bus/devices"
[ ! -e "$bus/devices/other1/driver" ] || fail "other1 was bound although no driver matches"
ok "matching device bound, other left alone"

echo demo0 > "$bus/drivers/demo/unbind" || fail "unbind"
[ ! -e "$bus/drivers/demo/demo0" ] || fail "demo0 still bound after unbind"
expect_dmesg "demo demo0: remove: unbound from driver demo"
echo demo0 > "$bus/drivers/demo/bind" || fail "bind"
[ -e "$bus/drivers/demo/demo0" ] || fail "demo0 not bound after bind"
[ "$(test_dmesg | grep -c 'demo demo0: probe')" -eq 2 ] || fail "probe did not run again on bind"
ok "unbind runs remove, bind runs probe"

echo demo0 > "$bus/delete_device" || fail "delete_device demo0"
[ ! -e "$bus/devices/demo0" ] || fail "demo0 still there after delete_device"
[ "$(test_dmesg | grep -c 'demo demo0: remove')" -eq 2 ] || fail "remove did not run on delete"
if echo nosuch > "$bus/delete_device" 2>/dev/null; then
	fail "deleting a device that does not exist succeeded"
fi

echo demo7 > "$bus/new_device" || fail "new_device demo7"
# refused: a second demo7 (EEXIST, without sysfs's duplicate-name
# warning), an empty name, one too long
for name in demo7 "" "$(printf '%040d' 0)"; do
	if echo "$name" > "$bus/new_device" 2>/dev/null; then
		fail "new_device accepted '$name'"
	fi
done
[ -e "$bus/devices/demo7" ] || fail "the first demo7 went"
unload vbus
expect_dmesg "demo demo7: remove: unbound from driver demo"
[ ! -e "$bus" ] || fail "$bus is still there after rmmod"
ok "devices removed with the bus"
