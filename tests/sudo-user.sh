#!/usr/bin/env bash
# where: host
# timeout: 120
# A module directory's scripts run in the guest as you (the host's user,
# same uid), with Debian's sudo to be root, as on the machine they were
# written on: a course-style check that refuses to run as root, loads an
# echo server with sudo insmod and talks to it with telnet runs to its end
# and passes; what it writes in the share is yours on the host; "# as:
# root" and AS_ROOT=1 run it as root (and it refuses, as it would).
set -u
fail() { echo "FAIL: $*"; exit 1; }
if [ "$(id -u)" -eq 0 ]; then
	echo "SKIP: the guest's user is the host's, and this host user is root"
	exit 4
fi

. tests/lib/outside.sh
work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$work"' EXIT
mod=$work/echo
mkdir -p "$mod"
cp modules/kecho/kecho.c "$mod/"
echo 'obj-m += kecho.o' >"$mod/Kbuild"
cat >"$mod/check.sh" <<'EOF_SH'
#!/bin/bash
if [ "$EUID" -eq 0 ]; then
	echo "Don't run this script as root"
	exit
fi
sudo insmod kecho.ko port=12345 || exit 1
out=$( (echo hello-telnet; sleep 1) | telnet 127.0.0.1 12345)
sudo rmmod kecho || exit 1
echo "$out" | grep -q hello-telnet || { echo "check: no echo: $out"; exit 1; }
id -u > whoami
echo "check: PASS as $(id -un)"
EOF_SH
chmod +x "$mod/check.sh"

out=$(labmake test M="$mod" T=check.sh 2>&1)
rc=$?
echo "$out"
log=${UMLAB_BUILD:-build}/tests/echo/check.log
cat "$log"
[ "$rc" -eq 0 ] || fail "make test M=... T=check.sh exited $rc"
grep -qx "check: PASS as $(id -un)" "$log" || fail "the check did not run to its end as $(id -un)"
[ "$(cat "$mod/whoami")" = "$(id -u)" ] || fail "the guest user's uid is not the host's"
[ -O "$mod/whoami" ] || fail "the file the guest wrote is not the host user's"
echo "ok: the check ran as $(id -un) with sudo and telnet, and passed"

rm -f "$mod/whoami"
labmake test M="$mod" T=check.sh AS_ROOT=1 >/dev/null 2>&1
grep -q "Don't run this script as root" "$log" || fail "AS_ROOT=1 did not run it as root"
[ ! -e "$mod/whoami" ] || fail "AS_ROOT=1: the check went on as root"
sed -i '1a # as: root' "$mod/check.sh"
labmake test M="$mod" T=check.sh >/dev/null 2>&1
grep -q "Don't run this script as root" "$log" || fail "'# as: root' did not run it as root"
echo "ok: AS_ROOT=1 and '# as: root' run it as root"
