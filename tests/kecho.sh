#!/bin/sh
# where: guest
# The loopback is up at boot (127.0.0.1, nothing to set up), and guest
# programs talk over it: busybox's httpd and wget. kecho, a TCP echo
# server in the kernel, answers nc, several clients at once, and unloads
# with a client still connected.
. tests/lib/module.sh

ip addr show lo | grep -q 'inet 127.0.0.1/8' || fail "lo has no 127.0.0.1: $(ip addr show lo)"
mkdir -p /tmp/www && echo served > /tmp/www/x
httpd -p 127.0.0.1:8080 -h /tmp/www || fail "httpd did not start"
got=$(wget -q -O - http://127.0.0.1:8080/x) || fail "wget from 127.0.0.1 failed"
expect_eq "wget of httpd's file" "$got" served
kill "$(pidof httpd)"
ok "the loopback is up: wget gets httpd's file from 127.0.0.1"

load kecho/kecho port=12345
expect_dmesg "kecho: listening on port 12345"
got=$(echo "hello kernel" | nc 127.0.0.1 12345) || fail "nc to kecho failed"
expect_eq "kecho's answer" "$got" "hello kernel"
for i in 1 2 3 4 5; do
	echo "client $i" | nc 127.0.0.1 12345 > /tmp/kecho.$i &
done
wait
for i in 1 2 3 4 5; do
	expect_eq "client $i's answer" "$(cat /tmp/kecho.$i)" "client $i"
done
sleep 100 | nc 127.0.0.1 12345 > /dev/null &
sleep 0.2
unload kecho
expect_dmesg "kecho: stopped"
ok "kecho echoes to nc, five clients at once, and unloads with one connected"
