#!/usr/bin/env bash
# make new-module NAME=foo: start modules/foo/ (source and Kbuild) and
# tests/foo.sh from scripts/templates/. The result builds and its test
# passes as it is; nothing needs registering anywhere else.
set -euo pipefail

die() { printf 'new-module: %s\n' "$*" >&2; exit 1; }

name=${1:-}
top=$(cd "$(dirname "$0")/.." && pwd)
tmpl=$top/scripts/templates

[ -n "$name" ] || die "usage: make new-module NAME=foo"
[[ "$name" =~ ^[a-z][a-z0-9_]*$ ]] ||
	die "'$name' is not a module name: lower case letters, digits and _, starting with a letter"
[ ${#name} -le 55 ] || die "'$name' is longer than the kernel's 55 characters"
[ ! -e "$top/modules/$name" ] || die "modules/$name already exists"
[ ! -e "$top/tests/$name.sh" ] || die "tests/$name.sh already exists"

author=$(git -C "$top" config user.name 2>/dev/null || id -un)
fill() { sed -e "s/@NAME@/$name/g" -e "s/@AUTHOR@/${author//\//\\/}/g" "$1"; }

mkdir -p "$top/modules/$name"
fill "$tmpl/module.c" >"$top/modules/$name/$name.c"
echo "obj-m += $name.o" >"$top/modules/$name/Kbuild"
fill "$tmpl/test.sh" >"$top/tests/$name.sh"

cat <<MSG
  NEW      modules/$name/$name.c
  NEW      modules/$name/Kbuild
  NEW      tests/$name.sh
Next: make test T=$name
MSG
