# shellcheck shell=dash
# Helpers for module tests; tests/NAME.sh sources this in the guest:
#   . tests/lib/module.sh
# busybox sh. Every helper fails the test (exit 1) with a reason.

KSFT_SKIP=4
# this profile's modules (run.sh passes the build directory to the guest)
# (make coverage gives another: its modules are built with gcov)
MODDIR=${UMLAB_MODDIR:-/lab/${UMLAB_BUILD:-build}/modules}

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit "$KSFT_SKIP"; }
ok() { echo "ok: $*"; }

# load DIR/NAME [PARAM=VALUE...]: insmod build/modules/DIR/NAME.ko
load() {
	ko=$MODDIR/$1.ko
	shift
	[ -f "$ko" ] || fail "$ko was not built"
	load_ko "$ko" "$@" || fail "insmod $ko $* failed"
}

# load_ko FILE.ko [PARAM=VALUE...]: insmod it, and note where its code is,
# for tests/lib/resolve.sh (reports made after rmmod, such as kmemleak's,
# have bare addresses). Returns insmod's status.
# Few programs: every one a test starts is a host process and a page-fault
# round trip per page it touches.
load_ko() {
	local name map s f
	insmod "$@" || return
	name=${1##*/}
	name=${name%.ko}
	# shellcheck disable=SC3060 # busybox sh has it
	name=${name//-/_}
	case "$1" in
	/*) map="umlab-module $name $1" ;;
	*) map="umlab-module $name $PWD/$1" ;;
	esac
	# (cat: the kernel's files give a byte-wise read, as the shell's
	# read does it, the first byte only)
	for s in .text .init.text .exit.text; do
		f=/sys/module/$name/sections/$s
		[ -r "$f" ] && map="$map $s=$(cat "$f")"
	done
	echo "$map"
}

# unload NAME: rmmod, and check that the kernel has let go of it
unload() {
	rmmod "$1" || fail "rmmod $1 failed"
	[ ! -e "/sys/module/$1" ] || fail "$1 still in /sys/module after rmmod"
	local mod
	while read -r mod _; do
		[ "$mod" != "$1" ] || fail "$1 still in /proc/modules after rmmod"
	done </proc/modules
}

# The kernel log since this test started (tests/lib/guest-run.sh marks it).
test_dmesg() {
	dmesg | awk -v m="${UMLAB_MARKER:-umlab: start of}" 'index($0, m) { p = 1 } p'
}

# expect_dmesg TEXT: the log since the test started holds TEXT
expect_dmesg() {
	dmesg | awk -v m="${UMLAB_MARKER:-umlab: start of}" -v t="$1" '
		index($0, m) { p = 1 }
		p && index($0, t) { found = 1 }
		END { exit !found }' || {
		test_dmesg | tail -n 20
		fail "the kernel log lacks \"$1\""
	}
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}
