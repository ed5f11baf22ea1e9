#!/usr/bin/env bash
# where: host
# make new-module NAME=foo KUNIT=1: the module, its KUnit suite and its
# test build, pass checkpatch, and pass: the suite's cases run when
# foo_kunit.ko is loaded. (Made outside modules/, as tests/gdb.sh does.)
set -u
fail() { echo "FAIL: $*"; exit 1; }

b=${UMLAB_BUILD:-build}
work=$b/tests/new-module.$$
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/tests"
MODULES_DIR=$PWD/$work/src TESTS_DIR=$PWD/$work/tests KUNIT=1 \
	scripts/new-module.sh kdemo || fail "new-module KUNIT=1"
for f in kdemo.c kdemo.h kdemo_kunit.c Kbuild; do
	[ -f "$work/src/kdemo/$f" ] || fail "no $f"
done
# A module of the lab's builds on every kernel line: the one #if on
# LINUX_VERSION_CODE (MODULE_IMPORT_NS took a string in 6.13) is what
# checkpatch asks in-tree code to avoid, and then misreads as a comparison
out=$(perl "$b/kernel/source/scripts/checkpatch.pl" --no-tree -q -f \
	--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	"$work/src/kdemo/kdemo.c" "$work/src/kdemo/kdemo.h" "$work/src/kdemo/kdemo_kunit.c")
[ -z "$out" ] || fail "checkpatch: $out"
scripts/build-module.sh "$b/kernel" "$work/src/kdemo" "$work/modules/kdemo" >/dev/null ||
	fail "the new module does not build"
out=$(./run.sh --append time-travel=inf-cpu -- sh tests/lib/guest-run.sh \
	--moddir "/lab/$work/modules" "$work/tests/kdemo.sh" 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "the new module's test failed ($rc)"
echo "$out" | grep -q '^umlab-kunit:     ok 2 kdemo_clamp_outside$' ||
	fail "the KUnit cases did not run"
echo "ok: make new-module KUNIT=1 builds, passes checkpatch, and its suite passes"
