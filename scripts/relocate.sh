#!/usr/bin/env bash
# A kernel build directory that moved (the clone moved, or a CI cache of
# build/ was restored into a clone at another path): Kbuild names the
# source tree in it by absolute path, in its Makefile, its "source" link
# and the links to the kernel's gdb scripts, and since 6.13 the Makefile
# names the build directory as well. Point them at the source tree
# where it is now; nothing is rebuilt. (Compiles that a later change
# brings still hit ccache: CCACHE_BASEDIR makes the paths relative.)
#
# usage: scripts/relocate.sh KSRC KOUT
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 KSRC KOUT" >&2; exit 2; }
ksrc=$(realpath "$1") kout=$2
old=$(readlink "$kout/source") || exit 0
[ "$old" != "$ksrc" ] || exit 0
printf '  %-8s %s\n' RELOCATE "$kout: its source was $old, now $ksrc" >&2
find "$kout" -type l -lname "$old/*" -print0 |
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		ln -sfn "$ksrc${target#"$old"}" "$link"
	done
ln -sfn "$ksrc" "$kout/source"
# the Makefile Kbuild wrote names the tree, and since 6.13 the build
# directory itself (KBUILD_OUTPUT)
out=$(realpath "$kout")
old_out=$(sed -n 's/^export KBUILD_OUTPUT = //p' "$kout/Makefile")
sed -i -e "s|$old/|$ksrc/|g" ${old_out:+-e "s|= $old_out\$|= $out|"} "$kout/Makefile"
