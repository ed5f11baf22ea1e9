#!/usr/bin/env bash
# where: host
# The hint to allow the lab's .gdbinit comes once per checkout, for a user
# whose gdb does not allow it yet, and never for make gdb (which needs no
# .gdbinit).
set -u
fail() { echo "FAIL: $*"; exit 1; }

if [ "${UMLAB_PROFILE:-default}" != default ]; then
	echo "SKIP: the default profile's make all gives the hint"
	exit 4
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
b=build
m() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u T -u M HOME="$home" make ${UMLAB_LINE:+"KERNEL=$UMLAB_LINE"} "$@" 2>&1; }
rm -f "$b/.gdb-hint"
m -n gdb | grep -q 'HINT' && fail "make gdb would print the hint"
m -s all | grep -q 'HINT.*allow the lab' || fail "no hint the first time"
m -s all | grep -q 'HINT' && fail "the hint came a second time"
echo "ok: the hint once per checkout, never for make gdb"
