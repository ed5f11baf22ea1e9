#!/usr/bin/env bash
# Build the guest's root filesystem image without root: a staging tree of
# static busybox, init (rootfs/init.c), /etc and the host programs listed in
# rootfs/host-programs (with their shared libraries), packed by
# mkfs.ext4 -d. The image is written to a temporary name and renamed, so an
# interrupted build never leaves a half-made image behind.
#
# usage: scripts/mkrootfs.sh OUTPUT.ext4
set -euo pipefail

die() { printf 'mkrootfs: %s\n' "$*" >&2; exit 1; }

out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
busybox=${BUSYBOX:-/bin/busybox}
export PATH="$PATH:/sbin:/usr/sbin"

command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 not found (install e2fsprogs)"
[ -x "$busybox" ] || die "no busybox at $busybox (install busybox-static)"
if ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked; the guest needs busybox-static"
fi

stage=$(realpath "$(mktemp -d "${out}.stage.XXXXXX")")
trap 'rm -rf "$stage" "$stage.probe" "$out.tmp"' EXIT

cd "$stage"
mkdir -p bin sbin usr/bin usr/sbin etc proc sys dev tmp run root mnt lab share lib lib64
chmod 1777 tmp

cp "$busybox" bin/busybox
# --list-full names each applet with its directory (bin/ls, sbin/insmod...)
"$busybox" --list-full | while read -r applet; do
	[ "$applet" = bin/busybox ] && continue
	[ -e "$applet" ] && continue
	ln -s /bin/busybox "$applet"
done

gcc -static -O2 -Wall -Wextra -o init "$top/rootfs/init.c" ||
	die "cannot build rootfs/init.c with the host's gcc (static)"
install -m 0644 "$top/rootfs/profile" etc/profile
install -m 0644 "$top/rootfs/passwd" etc/passwd
install -m 0644 "$top/rootfs/group" etc/group
install -m 0644 "$top/rootfs/fstab" etc/fstab
echo umlab > etc/hostname

install -m 0755 "$top/rootfs/sudo" usr/bin/sudo

# Host programs and every shared object they load, at the same paths.
copy_libs() {
	local lib
	ldd "$1" 2>/dev/null | grep -oE '/[^ ]+' | while read -r lib; do
		mkdir -p ".$(dirname "$lib")"
		[ -e ".$lib" ] || cp -L "$lib" ".$lib"
	done
}
copy_with_libs() {
	local prog=$1
	[ -x "$prog" ] || die "host program $prog (rootfs/host-programs) is missing"
	mkdir -p ".$(dirname "$prog")"
	cp -L "$prog" ".$prog"
	copy_libs "$prog"
}
grep -vE '^[[:space:]]*(#|$)' "$top/rootfs/host-programs" | while read -r prog; do
	copy_with_libs "$prog"
done

# The host's C runtime, for the programs a module directory builds with
# the host's gcc (dynamically linked): the loader and the libraries gcc
# links against, as a program of the host's own finds them.
echo 'int main(void) { return 0; }' |
	gcc -x c -o "$stage.probe" - -Wl,--no-as-needed -lm -lgcc_s -pthread ||
	die "cannot build a C program with the host's gcc"
copy_libs "$stage.probe"
rm -f "$stage.probe"

# Room for what the guest writes (it lands in the per-run COW layer).
size_kb=$(( $(du -sk . | cut -f1) + 65536 ))
cd "$top"
mkfs.ext4 -q -F -L umlab-root -O ^has_journal \
	-E root_owner=0:0,lazy_itable_init=0 \
	-d "$stage" "$out.tmp" "${size_kb}K" >/dev/null ||
	die "mkfs.ext4 -d failed (e2fsprogs 1.43 or later is needed)"
chmod a-w "$out.tmp"
mv -f "$out.tmp" "$out"
