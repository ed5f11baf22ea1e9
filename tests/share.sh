#!/usr/bin/env bash
# where: host
# ./run.sh --share DIR: the guest sees DIR read-write at /share/NAME, and
# through it nothing else of the host: not with "..", not through a symlink
# in DIR, not through a directory whose name only starts like DIR's. Bad
# directories are refused before boot, with a reason.
set -u
fail() { echo "FAIL: $*"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/mod/sub" "$work/mod2"
echo host-file >"$work/mod/sub/from-host"
echo secret >"$work/secret"
echo secret2 >"$work/mod2/secret"
ln -s "$work" "$work/mod/up"		# absolute, out of the share
ln -s ../.. "$work/mod/sub/rel"		# relative, out of the share

# shellcheck disable=SC2016 # expanded by the guest's shell
guest='
fail() { echo "FAIL: $*"; exit 1; }
refused() {	# refused PATH: a hostfs mount of PATH must not succeed
	if mount -t hostfs hostfs /mnt/h -o "$1" 2>/dev/null; then
		ls -la /mnt/h; umount /mnt/h
		fail "hostfs mount of $1 was allowed"
	fi
	echo "refused: $1"
}
cd /share/mod || fail "no /share/mod"
[ "$(cat sub/from-host)" = host-file ] || fail "cannot read a host file in the share"
echo from-guest > sub/from-guest || fail "cannot write into the share"
grep -q " /share/mod hostfs " /proc/mounts || fail "/share/mod is not a hostfs mount"
mkdir -p /mnt/h
mount -t hostfs hostfs /mnt/h -o "$SHARE/sub" || fail "cannot mount a subdirectory of the share"
[ -f /mnt/h/from-host ] || fail "the subdirectory mount shows the wrong files"
umount /mnt/h
refused "$SHARE/.."
refused "$SHARE/sub/../.."
refused "$SHARE/up"
refused "$SHARE/sub/rel"
refused "${SHARE}2"
refused "$SHARE/../mod2"
# symlinks are resolved by the guest, in its own namespace
[ ! -e /share/mod/up/secret ] || fail "/share/mod/up/secret is visible"
echo "confinement ok"
'
out=$(./run.sh --share "$work/mod" -- sh -c "SHARE=$work/mod; $guest" 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "the guest's checks failed ($rc)"
[ "$(cat "$work/mod/sub/from-guest" 2>/dev/null)" = from-guest ] ||
	fail "what the guest wrote did not reach the host"
echo "ok: read-write at /share/mod, mounts outside it refused"

# DIR:AT mounts it where a script of the module's expects it.
out=$(./run.sh --share "$work/mod:/mnt/book" -- cat /mnt/book/sub/from-host 2>&1)
[ "$(echo "$out" | tr -d '\r')" = host-file ] || fail "--share DIR:/mnt/book: $out"
echo "ok: --share DIR:/mnt/book"

# Refused before boot, each with one line saying why.
refuse() {	# refuse WANT ARGS...: run.sh ARGS must exit 2 saying WANT
	local want=$1 err rc
	shift
	err=$(./run.sh "$@" -- true 2>&1)
	rc=$?
	{ [ "$rc" -eq 2 ] && [[ "$err" == *"$want"* ]] && [ "$(echo "$err" | wc -l)" -eq 1 ]; } ||
		fail "run.sh $* gave status $rc and '$err', want 2 and '$want'"
	echo "ok: refused: $err"
}
mkdir -p "$work/with,comma" "$work/with space" "$work/other/mod"
refuse "no such directory" --share "$work/nowhere"
refuse "not a directory" --share "$work/secret"
refuse "comma or a colon" --share "$work/with,comma"
refuse "spaces" --share "$work/with space"
refuse "would both be /share/mod" --share "$work/mod" --share "$work/other/mod"
refuse "must be an absolute path" --share "$work/mod:relative"
refuse "needs /proc for itself" --share "$work/mod:/proc"
refuse "would show the guest everything" --share /
echo "share ok"
