#!/usr/bin/env bash
# Prepare the kernel tree: extract the tarball (when one is given) and apply
# the lab's patches. A patch that is already in the tree is skipped; one
# that neither applies nor is present stops the build, in a tree of your
# own (KERNEL_SRC) too: the lab's promises (hostfs confinement, kprobes,
# Ctrl-C under gdb) rest on every one of them.
#
# usage: scripts/patch-kernel.sh KSRC [TARBALL] PATCH...
set -euo pipefail

die() { printf 'patch-kernel: %s\n' "$*" >&2; exit 1; }

ksrc=$1 tarball=$2
shift 2

if [ -n "$tarball" ]; then
	[ -r "$tarball" ] || die "no kernel tarball at $tarball"
	# Start from a pristine tree: a half-extracted or half-patched one
	# from an interrupted run is not to be trusted.
	rm -rf "$ksrc" "$ksrc.tmp"
	mkdir -p "$ksrc.tmp"
	tar -xf "$tarball" -C "$ksrc.tmp" --strip-components=1
	mv "$ksrc.tmp" "$ksrc"
else
	{ [ -f "$ksrc/Makefile" ] && [ -d "$ksrc/arch/um" ]; } ||
		die "KERNEL_SRC=$ksrc is not a kernel source tree"
fi

for p in "$@"; do
	name=$(basename "$p")
	if patch -d "$ksrc" -p1 -R --dry-run -s -f <"$p" >/dev/null 2>&1; then
		echo "  PATCH    $name (already applied)"
	elif patch -d "$ksrc" -p1 --dry-run -s -f <"$p" >/dev/null 2>&1; then
		echo "  PATCH    $name"
		patch -d "$ksrc" -p1 -s -f --no-backup-if-mismatch <"$p"
	elif [ -z "$tarball" ]; then
		die "$name does not apply to KERNEL_SRC=$ksrc (and is not in it): port it to that tree, or leave KERNEL_SRC unset for Debian's source"
	else
		die "$name does not apply to $ksrc"
	fi
done
