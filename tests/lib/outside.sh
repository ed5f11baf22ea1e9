# shellcheck shell=bash
# Sourced by host tests that act as a user whose module directory is
# outside the project.
#
# outside_dir: print the path of a fresh, empty directory for this test,
# outside the project, the same on every run of the same test from the
# same checkout and profile. A module's path is part of its compile (debug
# info, file names in the preprocessed source), so ccache hands back last
# run's objects only when the path repeats, as it does for a user's
# ~/mymodule; a directory from mktemp is compiled from scratch every time.
# The caller removes it (trap 'rm -rf "$dir"' EXIT).
outside_dir() {
	local key dir
	key=$(printf '%s\n' "$PWD" "${UMLAB_BUILD:-build}" "$0" | cksum | cut -d' ' -f1)
	dir=${TMPDIR:-/tmp}/umlab-outside.$(id -u).$key
	# a name known in advance, in a directory others write to: take it
	# only if it is this user's own directory (what a killed run left)
	if [ -e "$dir" ] || [ -L "$dir" ]; then
		if [ -L "$dir" ] || [ ! -d "$dir" ] || [ ! -O "$dir" ]; then
			echo "outside_dir: $dir exists and is not this user's directory" >&2
			return 1
		fi
		rm -rf "$dir"
	fi
	mkdir -m 700 "$dir" || return 1
	echo "$dir"
}

# labmake ARGS...: make in the project as a user types it (for this test's
# profile), not as a sub-make of the make running the test
labmake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u T -u M \
		make -s ${UMLAB_LINE:+"KERNEL=$UMLAB_LINE"} PROFILE="${UMLAB_PROFILE:-default}" "$@"
}
