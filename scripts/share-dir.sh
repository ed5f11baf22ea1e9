# shellcheck shell=bash
# Sourced by run.sh and scripts/extmod.sh: what makes a host directory
# unfit to be shared with the guest (./run.sh --share DIR, make ... M=DIR).

# share_dir_problem DIR: prints why DIR cannot be shared, or nothing
share_dir_problem() {
	local dir=$1
	if [ ! -e "$dir" ]; then
		echo "no such directory"
	elif [ ! -d "$dir" ]; then
		echo "not a directory"
	elif [ ! -r "$dir" ] || [ ! -x "$dir" ]; then
		echo "not readable by $(id -un)"
	elif [ "$(cd "$dir" && pwd -P)" = / ]; then
		echo "the host's / would show the guest everything"
	else
		case "$(cd "$dir" && pwd)" in
		*[,:]*) echo "hostfs cannot take a path with a comma or a colon (a symlink to the directory will do)" ;;
		*[[:space:]\"\'\\]* | *[![:print:]]*) echo "the kernel command line cannot carry a path with spaces, quotes, backslashes or control characters (a symlink to the directory will do)" ;;
		esac
	fi
}
