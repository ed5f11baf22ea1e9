#!/bin/sh
# where: guest
# The guest boots the lab kernel with the filesystems a module developer
# relies on, and the project directory at /lab.
fail() { echo "FAIL: $*"; exit 1; }

release=$(uname -r)
echo "uname -r: $release"
built=$(cat "/lab/$UMLAB_BUILD/kernel/include/config/kernel.release")
[ "$release" = "$built" ] || fail "kernel release is $release, the build's ($UMLAB_BUILD) is $built"
[ "$(uname -m)" = x86_64 ] || fail "uname -m is $(uname -m)"

for m in "proc /proc" "sysfs /sys" "devtmpfs /dev" "debugfs /sys/kernel/debug" \
	"hostfs /lab" "tmpfs /tmp"; do
	# shellcheck disable=SC2086 # split "type dir"
	set -- $m
	awk -v t="$1" -v d="$2" '$3 == t && $2 == d { found = 1 } END { exit !found }' \
		/proc/mounts || fail "$1 is not mounted on $2"
done
[ "$(hostname)" = umlab ] || fail "hostname is $(hostname)"
{ [ -f /lab/Makefile ] && [ -x /lab/run.sh ]; } || fail "/lab does not show the project"
[ "$(pwd)" = /lab ] || fail "commands start in $(pwd), not /lab"
{ [ -c /dev/null ] && [ -c /dev/console ]; } || fail "devtmpfs did not create device nodes"
[ -w /proc/sysrq-trigger ] || fail "no magic SysRq"

[ -f /proc/modules ] || fail "no /proc/modules: kernel without module support"

# strace, copied from the host with its libraries, traces a guest program.
out=$(strace -e trace=openat cat /proc/version 2>&1 >/dev/null)
echo "$out" | grep -q 'openat(.*"/proc/version"' || fail "strace did not see cat open /proc/version: $out"
echo "boot ok"
