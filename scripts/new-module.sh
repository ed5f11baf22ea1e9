#!/usr/bin/env bash
# make new-module NAME=foo: start modules/foo/ (source and Kbuild) and
# tests/foo.sh from scripts/templates/. The result builds and its test
# passes as it is; nothing needs registering anywhere else. KUNIT=1 (or
# --kunit after the name): with a KUnit suite, foo_kunit.ko, for a
# function of the module (scripts/templates/kunit/).
# MODULES_DIR and TESTS_DIR put them elsewhere (tests/gdb.sh does).
set -euo pipefail

die() { printf 'new-module: %s\n' "$*" >&2; exit 1; }

name=${1:-}
kunit=${KUNIT:-0}
[ "${2:-}" != --kunit ] || kunit=1
top=$(cd "$(dirname "$0")/.." && pwd)
tmpl=$top/scripts/templates
mdir=${MODULES_DIR:-$top/modules}
tdir=${TESTS_DIR:-$top/tests}

[ -n "$name" ] || die "usage: make new-module NAME=foo"
[[ "$name" =~ ^[a-z][a-z0-9_]*$ ]] ||
	die "'$name' is not a module name: lower case letters, digits and _, starting with a letter"
[ ${#name} -le 55 ] || die "'$name' is longer than the kernel's 55 characters"
[ ! -e "$mdir/$name" ] || die "modules/$name already exists"
[ ! -e "$tdir/$name.sh" ] || die "tests/$name.sh already exists"

author=$(git -C "$top" config user.name 2>/dev/null || id -un)
fill() { sed -e "s/@NAME@/$name/g" -e "s/@AUTHOR@/${author//\//\\/}/g" "$1"; }

mkdir -p "$mdir/$name"
new=("$mdir/$name/$name.c" "$mdir/$name/Kbuild" "$tdir/$name.sh")
if [ "$kunit" = 1 ]; then
	fill "$tmpl/kunit/module.c" >"$mdir/$name/$name.c"
	fill "$tmpl/kunit/module.h" | sed "s/@UNAME@/${name^^}/g" >"$mdir/$name/$name.h"
	fill "$tmpl/kunit/module_kunit.c" >"$mdir/$name/${name}_kunit.c"
	printf 'obj-m += %s.o\n# its KUnit suite\nifdef CONFIG_KUNIT\nobj-m += %s_kunit.o\nendif\n' \
		"$name" "$name" >"$mdir/$name/Kbuild"
	fill "$tmpl/kunit/test.sh" >"$tdir/$name.sh"
	new+=("$mdir/$name/$name.h" "$mdir/$name/${name}_kunit.c")
else
	fill "$tmpl/module.c" >"$mdir/$name/$name.c"
	echo "obj-m += $name.o" >"$mdir/$name/Kbuild"
	fill "$tmpl/test.sh" >"$tdir/$name.sh"
fi

for f in "${new[@]}"; do
	printf '  NEW      %s\n' "${f#"$top"/}"
done
echo "Next: make test T=$name"
