#!/usr/bin/env bash
# make KERNEL="6.12 7.3" GOAL...: the goals made on each kernel line in
# turn (one after the other: each kernel build takes every CPU), then a
# table of what each line gave: for make test, its summary line. The
# exit status is 0 only if every line's was. JUNIT=, JSON= and LOG_DIR=
# get the line in their names.
#
# usage: scripts/each-kernel.sh "LINE..." GOAL...
set -uo pipefail

lines=$1
shift
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# Ctrl-C stops the make of the line at hand (it gets the signal too), and
# the lines after it
trap 'exit 130' INT
trap 'exit 143' TERM

# every line is known before the first one starts
for line in $lines; do
	err=$(scripts/build-dir.sh "$line" 2>&1 >/dev/null) || { echo "make: $err" >&2; exit 2; }
done

# per_line VAR: VAR=VALUE for this line, the line in its name when make
# was given one (JUNIT=r.xml: r-6.12.xml, r-7.3.xml; LOG_DIR=logs: logs-7.3)
per_line() {
	local v=${!1:-} stem ext
	[ -n "$v" ] || return 0
	stem=${v%.*} ext=.${v##*.}
	if [ "$stem" = "$v" ] || [[ "$ext" == */* ]]; then
		stem=$v ext=
	fi
	echo "$1=$stem-$line$ext"
}

declare -A rc=()
for line in $lines; do
	echo "=== KERNEL=$line make $*"
	# shellcheck disable=SC2046 # none or one word each
	make --no-print-directory KERNEL="$line" "$@" \
		$(per_line JUNIT) $(per_line JSON) $(per_line LOG_DIR) 2>&1 | tee "$logs/$line"
	rc[$line]=${PIPESTATUS[0]}
done

status=0
echo "=== results by kernel line (make $*)"
for line in $lines; do
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$logs/$line" | tail -n 1)
	if [ "${rc[$line]}" -eq 0 ]; then
		printf '  %-6s ok      %s\n' "$line" "$summary"
	else
		printf '  %-6s FAILED  %s%s(make: exit status %s)\n' "$line" "$summary" "${summary:+ }" "${rc[$line]}"
		status=1
	fi
done
exit "$status"
