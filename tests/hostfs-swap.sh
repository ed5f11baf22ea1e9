#!/usr/bin/env bash
# where: host
# A hostfs root swapped through another share (kernel-config/patches/0002):
# guest root renames a shared directory, or the project itself, through a
# second share that holds it, puts a symlink (to / or to a secret's
# directory) in its place and mounts it again, with -o and without. hostfs
# opened every hostfs= directory at boot and resolves each mount beneath
# those descriptors, so the new mount shows the directory that was shared,
# and the secret outside every share is not read, listed, written or linked.
set -u
fail() { echo "FAIL: $*"; exit 1; }

x=$(mktemp -d)
trap 'rm -rf "$x"' EXIT
token=secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
mkdir -p "$x/A/B" "$x/S"
echo "$token" >"$x/S/secret"
echo B >"$x/A/B/marker"
# The project, reached through a symlink inside a shared directory: run.sh
# takes its own path as the hostfs= root, so the guest can rename "lab"
# through /share/A without touching the real checkout.
ln -s "$PWD" "$x/A/lab"

# shellcheck disable=SC2016 # expanded by the guest's shell
guest='
X=$1
try() {	# try WHAT CMD...: the way out; whatever it shows is shown
	echo "--- $1"
	shift
	"$@" 2>&1
	return 0
}
# attack MNT S: what a swapped mount must not give; S is where the
# secret would be in MNT if the mount had followed the swap (writes go
# only there: if they got through, they would land beside the secret)
attack() {
	try "read /etc/passwd" cat "$1/etc/passwd"
	try "read the secret" cat "$1$2/secret"
	try "list" ls "$1" "$1$2"
	try "write" sh -c "echo pwned > $1$2/secret; echo pwned > $1$2/planted"
	try "link" ln "$1$2/secret" "$1$2/stolen"
}
mkdir -p /mnt/x /mnt/y /mnt/z
cd /share/A || exit 1

# 1. -o: the shared directory B renamed through the share of its parent,
# a symlink to / in its place, then B mounted again by its host path.
mv B B2 && ln -s / B || echo "FAIL: could not swap B"
if mount -t hostfs none /mnt/x -o "$X/A/B"; then
	echo "mount -o B shows: $(cat /mnt/x/marker 2>&1)"
	attack /mnt/x "$X/S"
	umount /mnt/x
fi
rm B && ln -s "$X/S" B || echo "FAIL: could not swap B again"
if mount -t hostfs none /mnt/y -o "$X/A/B"; then
	echo "mount -o B (to the secret) shows: $(cat /mnt/y/marker 2>&1)"
	attack /mnt/y ""
	umount /mnt/y
fi

# 2. No -o: the project (the first hostfs= root) renamed the same way.
mv lab lab2 && ln -s / lab || echo "FAIL: could not swap the project"
if mount -t hostfs none /mnt/z; then
	echo "mount of the project shows: $(cat /mnt/z/README.md 2>/dev/null | head -n 1)"
	attack /mnt/z "$X/S"
	umount /mnt/z
fi
echo guest-done
'
out=$("$x/A/lab/run.sh" --share "$x/A/B" --share "$x/A" -- sh -c "$guest" sh "$x" 2>&1)
rc=$?
echo "$out"
echo "--- checking the run above"
if echo "$out" | grep -q "$token"; then
	echo "$out" | grep -B3 "$token" | grep -- '^---'
	fail "the guest read the secret outside every share"
fi
echo "$out" | grep -q '^root:' && fail "the guest read the host's /etc/passwd"
[ "$(cat "$x/S/secret")" = "$token" ] || fail "the guest wrote to the secret"
[ "$(ls -A "$x/S")" = secret ] || fail "the guest created files beside the secret: $(ls -A "$x/S")"
[ "$rc" -eq 0 ] || fail "the guest exited $rc"
echo "$out" | grep -q '^guest-done' || fail "the guest did not get through every case"
! echo "$out" | grep -q '^FAIL' || fail "a swap did not happen"
# Each mount worked, and showed what was shared, not what was put in its place.
echo "$out" | grep -qx 'mount -o B shows: B' || fail "mount -o B did not show the shared B"
echo "$out" | grep -qx 'mount -o B (to the secret) shows: B' ||
	fail "the second mount -o B did not show the shared B"
echo "$out" | grep -qx 'mount of the project shows: # umlab.*' ||
	fail "a mount without -o did not show the project"
[ "$(grep -c -- '^--- read the secret' <<<"$out")" -eq 3 ] || fail "not every attack ran"
echo "hostfs held: the swapped roots showed what was shared, nothing outside read, written or linked"
