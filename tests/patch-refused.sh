#!/usr/bin/env bash
# where: host
# make KERNEL_SRC=TREE on a tree where a lab patch neither applies nor is
# present stops, naming the patch (scripts/patch-kernel.sh): the hostfs
# confinement and the other patches are never left out quietly.
set -u
fail() { echo "FAIL: $*"; exit 1; }

tree=$(mktemp -d)
build=$(mktemp -d)
trap 'rm -rf "$tree" "$build"' EXIT
# A kernel tree in shape only: its hostfs is not the one 0002 expects.
mkdir -p "$tree/arch/um" "$tree/fs/hostfs"
echo 'VERSION = 6' >"$tree/Makefile"
for f in hostfs.h hostfs_kern.c hostfs_user.c hostfs_user_exp.c; do
	echo "/* not the hostfs the lab's patch was made for */" >"$tree/fs/hostfs/$f"
done
mkdir -p "$build" && touch "$build/.deps-ok-6.12"
# (the lab's own kernel build is not to be pointed at that tree)
kout=${UMLAB_BUILD:-build}/kernel
link=$(readlink "$kout/source" 2>/dev/null)
out=$(env -u MAKEFLAGS -u MAKELEVEL make -s KERNEL=6.12 BUILD="$build" KERNEL_SRC="$tree" \
	PATCHES=kernel-config/patches/6.12/0002-hostfs-resolve-beneath-the-mount-root.patch \
	"$build/.source-ready-6.12" 2>&1)
rc=$?
echo "$out"
[ "$rc" -ne 0 ] || fail "the build went on with a patch that does not apply"
echo "$out" | grep -q '0002-hostfs-resolve-beneath-the-mount-root.patch does not apply to KERNEL_SRC=' ||
	fail "the message does not name the patch"
[ ! -e "$build/.source-ready-6.12" ] || fail "the source was marked ready"
[ "$(readlink "$kout/source" 2>/dev/null)" = "$link" ] ||
	fail "$kout/source was pointed at $(readlink "$kout/source") (scripts/relocate.sh)"
echo "ok: a patch that does not apply stops the build and is named"
