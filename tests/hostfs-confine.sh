#!/bin/sh
# where: guest
# The guest sees the project directory and nothing else of the host: no
# hostfs mount can climb out with "..", an absolute path, or a symlink.
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p /mnt/h
try_mount() {	# try_mount PATH: must be refused
	if mount -t hostfs hostfs /mnt/h -o "$1" 2>/dev/null; then
		echo "mount -o $1 shows:"
		find /mnt/h -maxdepth 1 | head
		umount /mnt/h
		fail "hostfs mount of '$1' was allowed"
	fi
	echo "refused: $1"
}

# A mount of a path inside the project works...
mount -t hostfs hostfs /mnt/h -o kernel-config || fail "cannot mount a project subdirectory"
[ -f /mnt/h/lab.config ] || fail "project subdirectory mount shows the wrong files"
umount /mnt/h

# ...one outside does not.
try_mount ..
try_mount ../..
try_mount /../../..
try_mount kernel-config/../..
try_mount /etc

# A symlink the guest plants in the project, pointing out of it.
dir=/lab/build/tests/confine.$$
mkdir -p "$dir"
ln -s / "$dir/up"
ln -s ../../../.. "$dir/rel"
try_mount "build/tests/confine.$$/up"
try_mount "build/tests/confine.$$/rel"
rm -rf "$dir"

# The default mount's parent is the guest's own root, not the host's.
[ "$(cd /lab/.. && pwd)" = / ] || fail "/lab/.. is not the guest root"
[ -e /lab/../init ] || fail "/lab/.. does not show the guest root"
echo "confinement ok"
