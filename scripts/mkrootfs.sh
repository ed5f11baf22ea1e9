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
trap 'rm -rf "$stage" "$stage.probe" "$stage.own" "$out.tmp"' EXIT

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
printf '127.0.0.1\tlocalhost umlab\n' > etc/hosts

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

# Debian's sudo, set-user-ID root, with its sudoers plugin and the one
# PAM module its PAM configuration names.
sudo_plugin=/usr/libexec/sudo/sudoers.so
pam_permit=
for f in /lib/*/security/pam_permit.so /usr/lib/*/security/pam_permit.so; do
	[ -f "$f" ] && pam_permit=$f && break
done
if [ ! -f "$sudo_plugin" ] || [ -z "$pam_permit" ]; then
	die "no $sudo_plugin or pam_permit.so (install sudo and libpam-modules)"
fi
for f in "$sudo_plugin" "$pam_permit"; do
	mkdir -p ".$(dirname "$f")"
	cp -L "$f" ".$f"
	copy_libs "$f"
done
chmod 4755 usr/bin/sudo
install -m 0440 "$top/rootfs/sudoers" etc/sudoers
mkdir -p etc/pam.d
install -m 0644 "$top/rootfs/pam.d-sudo" etc/pam.d/sudo

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
# Everything in it is root's, as on a real system (sudo insists: it and
# /etc/sudoers must be), whoever built it: mkfs.ext4 -d gave each file
# its owner in the staging tree.
if [ "$(id -u)" -ne 0 ]; then
	(cd "$stage" && find . -mindepth 1) | sed 's,^\.,,' |
		awk '{ printf "sif \"%s\" uid 0\nsif \"%s\" gid 0\n", $0, $0 }' >"$stage.own"
	debugfs -w -f "$stage.own" "$out.tmp" >/dev/null 2>&1
	rm -f "$stage.own"
	# (debugfs exits 0 whatever its commands did: look)
	for f in /usr/bin/sudo /etc/sudoers; do
		debugfs -R "stat $f" "$out.tmp" 2>/dev/null | grep -q 'User: *0 *Group: *0' ||
			die "debugfs could not give $f in the image to root"
	done
fi
chmod a-w "$out.tmp"
mv -f "$out.tmp" "$out"
