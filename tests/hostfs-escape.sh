#!/usr/bin/env bash
# where: host
# hostfs holds its boundary while the host's directories change under a
# mount (kernel-config/patches/0002): a secret file outside the project
# stays out of reach of root in the guest through a directory swapped for a
# symlink after the mount, an absolute or ".." symlink put in place of a
# directory the guest is in, a symlink to / inside the project, the
# mounted directory renamed, a hard link, and a second mount of the same
# directory. The changes behind a mount's back are made through another
# mount of the project, as the host would make them. Each case first
# shows that its mount works, then tries the way out, reading and writing.
# On a host without openat2(), hostfs does not mount at all.
set -u
fail() { echo "FAIL: $*"; exit 1; }

# The secret, outside the project: next to it when that is possible (the
# same filesystem, so that a hard link could be made at all), else in TMPDIR.
secret_dir=$(mktemp -d "$(dirname "$PWD")/.umlab-secret.XXXXXX" 2>/dev/null) ||
	secret_dir=$(mktemp -d)
w=build/tests/escape.$$
trap 'rm -rf "$secret_dir" "$w" "$w.sh"' EXIT
token=secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
echo "$token" >"$secret_dir/secret"
mkdir -p "$w"

# shellcheck disable=SC2016 # expanded by the guest's shell
guest='
S=$1 w=$2 project=$3
W=/lab/$w
try() {	# try WHAT CMD...: the way out; whatever it shows is shown
	echo "--- $1"
	shift
	"$@" 2>&1
	return 0
}
works() {	# works FILE WANT: the mount shows what it should
	[ "$(cat "$1")" = "$2" ] || echo "FAIL: $1 does not show $2"
}
newdir() { mkdir "$W/$1" && echo "$1" > "$W/$1/marker"; }
mkdir -p /mnt/p /mnt/a /mnt/b /mnt/c /mnt/e /mnt/f
# the project once more: the host side of every change below
mount -t hostfs none /mnt/p || { echo "FAIL: cannot mount the project"; exit 1; }
H=/mnt/p/$w

# 1. The directory of a mount swapped for a symlink after the mount.
newdir d1
mount -t hostfs none /mnt/a -o "$w/d1" && works /mnt/a/marker d1
rm -r "$H/d1" && ln -s "$S" "$H/d1"
try "swapped after mount: read" cat /mnt/a/secret
try "swapped after mount: list" ls /mnt/a
try "swapped after mount: write" sh -c "echo pwned > /mnt/a/secret; echo pwned > /mnt/a/planted"
umount /mnt/a

# 2. The directory the guest is in, replaced on the host by an absolute
# symlink, and by a ".." one that climbs to the host'"'"'s /.
newdir d2
newdir d3
up=../../../../../../../../../../../../../../../../..
(
	cd "$W/d2" && works marker d2
	mv "$H/d2" "$H/d2.old" && ln -s "$S" "$H/d2"
	try "absolute symlink under the cwd: read" cat secret
	try "absolute symlink under the cwd: write" sh -c "echo pwned > secret; echo pwned > planted"
	try "absolute symlink under the cwd: hard link" ln secret "$W/stolen"
)
(
	cd "$W/d3" && works marker d3
	mv "$H/d3" "$H/d3.old" && ln -s "$up" "$H/d3"
	try "\"..\" symlink under the cwd: read" cat ".$S/secret"
	try "\"..\" symlink under the cwd: write" sh -c "echo pwned > .$S/planted"
)

# 3. A symlink to / inside the project: not a mount, not a way through.
ln -s / "$H/root"
if mount -t hostfs none /mnt/b -o "$w/root" 2>/dev/null; then
	echo "FAIL: a mount of a symlink to / was allowed"
	try "mounted a symlink to /" cat "/mnt/b$S/secret"
	umount /mnt/b
fi
newdir d4
(
	cd "$W/d4" && works marker d4
	mv "$H/d4" "$H/d4.old" && ln -s / "$H/d4"
	try "symlink to / under the cwd: read" cat ".$S/secret"
)

# 4. The mounted directory renamed, a symlink in its place: the mount
# still shows the directory it mounted.
newdir d5
mount -t hostfs none /mnt/c -o "$w/d5" && works /mnt/c/marker d5
mv "$H/d5" "$H/d5.moved" && ln -s "$S" "$H/d5"
try "renamed mount: read" cat /mnt/c/secret
works /mnt/c/marker d5
umount /mnt/c

# 5. Hard links to the secret, by its host path and through the mounts.
try "hard link by host path" ln "$S/secret" "$W/stolen2"
try "hard link by host path, second mount" ln "$S/secret" "$H/stolen3"

# 6. A second, bind-style mount of one directory, by its host path, then
# swapped: neither mount follows.
newdir d6
mount -t hostfs none /mnt/e -o "$project/$w/d6" && works /mnt/e/marker d6
mount -t hostfs none /mnt/f -o "$w/d6" && works /mnt/f/marker d6
rm -r "$H/d6" && ln -s "$S" "$H/d6"
try "second mount, swapped: read" cat /mnt/e/secret /mnt/f/secret
try "second mount, swapped: write" sh -c "echo pwned > /mnt/e/planted; echo pwned > /mnt/f/planted"
umount /mnt/e /mnt/f
umount /mnt/p
echo guest-done
'
echo "$guest" >"$w.sh"
out=$(./run.sh -- sh "/lab/$w.sh" "$secret_dir" "$w" "$PWD" 2>&1)
rc=$?
echo "$out"
echo "--- checking the run above"
bad=0
if echo "$out" | grep -q "$token"; then
	echo "FAIL: the guest read the secret outside the project, in:"
	echo "$out" | grep -B3 "$token" | grep -- '^---'
	bad=1
fi
if [ "$(cat "$secret_dir/secret")" != "$token" ]; then
	echo "FAIL: the guest wrote to the secret outside the project"
	bad=1
fi
extra=$(find "$secret_dir" -mindepth 1 ! -name secret)
[ -z "$extra" ] || { echo "FAIL: the guest created files outside the project: $extra"; bad=1; }
linked=$(find "$w" -samefile "$secret_dir/secret" 2>/dev/null)
[ -z "$linked" ] || { echo "FAIL: the guest made a hard link to the secret: $linked"; bad=1; }
[ "$bad" -eq 0 ] || exit 1
[ "$rc" -eq 0 ] || fail "the guest exited $rc"
echo "$out" | grep -q '^guest-done' || fail "the guest did not get through every case"
! echo "$out" | grep -q '^FAIL' || fail "a mount did not show what it should"
for case in "swapped after mount: read" "absolute symlink under the cwd: read" \
	'".." symlink under the cwd: read' "symlink to / under the cwd: read" \
	"renamed mount: read" "second mount, swapped: read"; do
	echo "$out" | grep -qxF -- "--- $case" || fail "case '$case' did not run"
done
echo "hostfs held: nothing outside the project read, written or linked"

# A host without openat2() (before Linux 5.6; here a seccomp filter fails
# it with ENOSYS): hostfs refuses to mount, and says why.
gcc -O2 -o "$secret_dir/no-openat2" tests/lib/no-openat2.c || fail "building no-openat2"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$secret_dir/no-openat2" "$PWD/${UMLAB_BUILD:-build}/kernel/linux" \
	>"$secret_dir/linux"
chmod +x "$secret_dir/linux"
out=$(UMLAB_KERNEL=$secret_dir/linux ./run.sh -- sh -c \
	'mount -t hostfs none /mnt && echo mounted; dmesg | grep "hostfs:"' 2>&1)
echo "$out"
! echo "$out" | grep -q '^mounted' || fail "hostfs mounted without openat2()"
echo "$out" | grep -q 'hostfs: no openat2() on the host (Linux 5.6 or later' ||
	fail "no message saying why hostfs did not mount"
echo "without openat2(), hostfs refuses to mount"
