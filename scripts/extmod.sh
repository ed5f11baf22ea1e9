#!/usr/bin/env bash
# A module directory from anywhere (make test|run|gdb M=DIR): check it, build
# it against the lab kernel, and list its tests.
#
#   scripts/extmod.sh build KOUT KDIR DIR   build DIR in place when a file in
#                                           it changed since the last build
#                                           (GCOV=1: with gcov, for make coverage)
#   scripts/extmod.sh tests DIR [T...]      the test scripts to run, one per
#                                           line, relative to DIR
#
# DIR is built with its own Makefile when it has one (make -C DIR, with
# KDIR and the other usual names for the kernel directory set to the lab's),
# else with its Kbuild file (make -C KDIR M=DIR modules). Every .ko it makes
# must be built for the lab kernel. Its tests: T names a script in DIR (a
# path, or NAME for tests/NAME.sh); without T, DIR/umlab-test.sh and
# DIR/tests/*.sh; with none of those, the lab's load-and-unload test of
# every .ko (tests/lib/load-unload.sh).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/share-dir.sh
. "$top/scripts/share-dir.sh"

die() { printf 'umlab: %s\n' "$*" >&2; exit 2; }

# check DIR: a directory the guest can be given, with something to build
check() {
	local dir=$1 problem
	[ -n "$dir" ] || die "M= is empty: give the module directory, e.g. M=../mymod"
	problem=$(share_dir_problem "$dir")
	[ -z "$problem" ] || die "M=$dir: $problem"
	[ -f "$dir/Makefile" ] || [ -f "$dir/Kbuild" ] ||
		die "M=$dir has no Makefile or Kbuild file: nothing says what to build"
}

# has_rules MAKEFILE: whether it has a rule of its own (else it is a Kbuild
# file named Makefile, with only obj-m lines)
has_rules() {
	grep -qE '^[^#[:space:]=]+[[:space:]]*::?([^=]|$)' "$1"
}

# kos DIR: the .ko files under DIR
kos() {
	find "$1" -name .git -prune -o -name '*.ko' -type f -print
}

# ko_release KO: the kernel release a .ko was built for (its vermagic)
ko_release() {
	local magic
	magic=$(tr '\0' '\n' <"$1" | sed -n 's/^vermagic=//p' | head -n 1)
	echo "${magic%% *}"
}

build() {
	local kout kdir dir=$3 stamps stamp release ko magic wrong=()
	kout=$(realpath "$1") kdir=$(realpath "$2")
	check "$dir"
	dir=$(cd "$dir" && pwd)
	# one stamp per directory, profile, and kind of build (with gcov or not)
	stamps=$kout/../ext/$(printf '%s' "$dir" | md5sum | cut -c1-12)
	stamp=$stamps/built
	[ "${GCOV:-0}" = 0 ] || stamp=$stamps/built-gcov
	built() {
		[ -f "$stamp" ] && [ "$stamp" -nt "$kout/linux" ] &&
			[ -z "$(find "$dir" -name .git -prune -o -newer "$stamp" -print -quit)" ]
	}
	built && return 0
	# One build of a directory at a time: two make test M=DIR at once
	# would compile the same objects together. The second finds it built.
	mkdir -p "$stamps"
	exec {lock}>"$stamps/lock"
	flock "$lock"
	built && return 0
	printf '  %-8s %s\n' EXTMOD "$dir"
	# Built last for another kernel (another line or profile)? Its .ko
	# files go first: a Makefile whose rule says shout.ko: shout.c would
	# call them up to date, and another profile's even has this release.
	local last other=0
	last=$top/build/ext/$(printf '%s' "$dir" | md5sum | cut -c1-12).kernel
	mkdir -p "${last%/*}"
	[ ! -f "$last" ] || [ "$(cat "$last")" = "$kout" ] || other=1
	release=$(cat "$kout/include/config/kernel.release")
	while read -r ko; do
		if [ "$other" = 1 ] || [ "$(ko_release "$ko")" != "$release" ]; then rm -f "$ko"; fi
	done < <(kos "$dir")
	# The module's own make, not this one's: none of our variables leak
	# in, and it runs in its directory with its PWD, as when its author
	# types make there ($(PWD) in a Makefile is the environment's).
	local -a kmake=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u M -u T
		PWD="$dir" make)
	[ "${V:-0}" = 1 ] || kmake+=(-s --no-print-directory)
	[ "${GCOV:-0}" = 0 ] || kmake+=(GCOV_PROFILE=y)
	local log
	log=$(mktemp "${TMPDIR:-/tmp}/umlab-extmod.XXXXXX")
	if [ -f "$dir/Makefile" ] && has_rules "$dir/Makefile"; then
		if ! (cd "$dir" && "${kmake[@]}" KDIR="$kdir" KERNELDIR="$kdir" KERNEL_DIR="$kdir" \
			KSRC="$kdir" KERNEL_SRC="$kdir") 2>"$log"; then
			cat "$log" >&2
			# a Makefile that names the host's kernel directory itself
			grep -q '/lib/modules/[^ ]*: No such file or directory\|/lib/modules/.*No rule to make target' "$log" &&
				echo "umlab: hint: $dir/Makefile builds against /lib/modules/... whatever KDIR says; let it take the directory from a variable (KDIR ?= /lib/modules/\$(shell uname -r)/build) and the lab sets it" >&2
			rm -f "$log"
			die "building $dir with its Makefile failed (see above)"
		fi
		cat "$log" >&2
	else
		"${kmake[@]}" -C "$kdir" M="$dir" modules ||
			{ rm -f "$log"; die "building $dir with its Kbuild file failed (see above)"; }
	fi
	rm -f "$log"
	[ -n "$(kos "$dir")" ] || die "building $dir made no .ko file"
	# A Makefile that ignores KDIR builds for the host's kernel instead.
	while read -r ko; do
		magic=$(ko_release "$ko")
		[ "$magic" = "$release" ] || wrong+=("${ko#"$dir"/} ($magic)")
	done < <(kos "$dir")
	[ ${#wrong[@]} -eq 0 ] ||
		die "not built for the lab kernel ($release): ${wrong[*]}; does $dir/Makefile take the kernel directory from KDIR or KERNELDIR?"
	rm -f "$stamps"/built*	# the objects of the other kind are gone
	touch "$stamp"
	echo "$kout" >"$last"
}

tests() {
	local dir=$1 t f tried
	shift
	check "$dir"
	if [ $# -gt 0 ]; then
		for t; do
			tried=()
			for f in "$t" "tests/$t" "tests/${t%.sh}.sh" "${t%.sh}.sh"; do
				case " ${tried[*]} " in *" $f "*) continue ;; esac
				tried+=("$f")
				if [ -f "$dir/$f" ]; then
					echo "$f"
					continue 2
				fi
			done
			die "T=$t: no such script in $dir (looked for ${tried[*]})"
		done
		return 0
	fi
	(
		cd "$dir"
		found=0
		for f in umlab-test.sh tests/*.sh; do
			[ -f "$f" ] && { echo "$f"; found=1; }
		done
		[ "$found" = 1 ] && exit 0
		echo "@load-unload"
		# scripts that look like tests, under other names: say so
		others=$(find . -maxdepth 2 -name .git -prune -o -type f -name '*.sh' -print |
			sed 's,^\./,,' | sort | head -n 8 | tr '\n' ' ')
		if [ -n "$others" ]; then
			echo "umlab: no umlab-test.sh or tests/*.sh in $dir: only the load-unload test runs; found ${others% } (run one with T=NAME)" >&2
		fi
	)
}

case "${1:-}" in
build) [ $# -eq 4 ] || die "usage: $0 build KOUT KDIR DIR"; build "$2" "$3" "$4" ;;
tests) [ $# -ge 2 ] || die "usage: $0 tests DIR [T...]"; shift; tests "$@" ;;
*) die "usage: $0 build KOUT KDIR DIR | tests DIR [T...]" ;;
esac
