#!/usr/bin/env bash
# where: host
# timeout: 240
# The build moves with the clone (docs/ci.md: a CI cache of build/
# restored into a fresh checkout elsewhere). A fresh checkout of this tree
# at another path, every file new by its date, given this build: make test
# T=hello there runs the test without touching the kernel (no SOURCE,
# KCONFIG or KERNEL step: the stamps hold hashes, not dates), the kernel's
# build directory now names the source tree there, and make kdir points
# inside the new place.
set -u
fail() { echo "FAIL: $*"; exit 1; }

if [ "${UMLAB_PROFILE:-default}" != default ]; then
	echo "SKIP: the default profile's test"
	exit 4
fi
git rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: not a git checkout (the test copies the tracked files)"; exit 4; }
b=${UMLAB_BUILD:-build}
new=$PWD/$b/tests/moved.$$
trap 'rm -rf "$new"' EXIT
mkdir -p "$new"
# the checkout: the tracked files as they are here, dated now
git ls-files -z | xargs -0 cp --parents -t "$new" || fail "cannot copy the checkout"
# the build, dates kept: the kernel tree and build directory as hard
# links (nothing below writes to them in place), the rest copied
line=${UMLAB_LINE:-6.12}
mkdir -p "$new/$b"
for f in build/.source-ready-"$line" build/.deps-ok-"$line" build/rootfs.ext4 build/progs build/host; do
	[ -e "$f" ] && cp -a "$f" "$new/build/"
done
src=build/linux-source-$line
[ -d "$new/$src" ] || cp -al "$src" "$new/$src" || fail "cannot link $src"
# this build, and the line's SMP build, which make test makes too
for d in "$b" $(scripts/build-dir.sh "$line" "${UMLAB_PROFILE:-default}" 2 2>/dev/null); do
	mkdir -p "$new/$d"
	cp -al "$d/kernel" "$new/$d/kernel" || fail "cannot link $d/kernel"
	cp -a "$d/modules" "$new/$d/"
done

out=$(cd "$new" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u T -u M -u UMLAB_BUILD \
	-u UMLAB_LOG_DIR make -s KERNEL="$line" test T=hello 2>&1)
rc=$?
echo "$out"
[ "$rc" = 0 ] || fail "make test T=hello in the moved tree exited $rc"
echo "$out" | grep -qx 'ok 1 hello' || fail "no 'ok 1 hello'"
echo "$out" | grep -E '^  (SOURCE|KCONFIG|KERNEL) ' && fail "the kernel was remade"
echo "$out" | grep -q '^  RELOCATE ' || fail "no RELOCATE step"
[ "$(readlink "$new/$b/kernel/source")" = "$new/$src" ] ||
	fail "the kernel's build directory still names $(readlink "$new/$b/kernel/source")"
! find "$new/$b/kernel" -type l -lname "$PWD/$src/*" | grep . || fail "links into the old place are left"
kdir=$(cd "$new" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u UMLAB_BUILD make -s KERNEL="$line" kdir)
[ "$kdir" = "$new/$b/kdir" ] || fail "make kdir says $kdir"
grep -q "Kbuild in $new/$b/kernel" "$kdir/Makefile" || fail "KDIR's Makefile does not use the new place"
echo "ok: a fresh checkout elsewhere with this build: make test ran, no kernel remade; kdir is $kdir"
