#!/usr/bin/env bash
# Build the module in SRC_DIR against the lab kernel in KOUT, in OUT_DIR.
# Kbuild writes objects next to the sources it is given, so OUT_DIR gets a
# symlink to each file of SRC_DIR (user/ aside: those are host programs)
# and Kbuild runs there; the source directory stays clean. Used by make
# (modules/NAME) and by the tests that build modules of their own.
#
# usage: scripts/build-module.sh KOUT SRC_DIR OUT_DIR [VAR=VALUE...]
# (V=1: full commands; VAR=VALUE go to Kbuild, e.g. GCOV_PROFILE=y)
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 KOUT SRC_DIR OUT_DIR [VAR=VALUE...]" >&2; exit 2; }
kout=$(realpath "$1") src=$(realpath "$2") out=$3
shift 3

mkdir -p "$out"
out=$(realpath "$out")
find "$out" -maxdepth 1 -xtype l -delete	# sources since removed
for f in "$src"/*; do
	[ "$(basename "$f")" = user ] || ln -sfn "$f" "$out/"
done

cc=gcc
command -v ccache >/dev/null 2>&1 && cc="ccache gcc"
quiet=-s
[ "${V:-0}" != 1 ] || quiet=V=1
# a failed build gets hints about what UML lacks
exec "$(dirname "$0")/kbuild-hints.sh" "$kout" \
	make $quiet -C "$kout" ARCH=um CC="$cc" M="$out" "$@" modules
