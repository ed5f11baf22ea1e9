#!/usr/bin/env bash
# Print a test's log with addresses in module code resolved to function and
# source line, e.g. "[<000000007082501c>] 0x7082501c" gets
# "  <- buggy_leak_init at modules/buggy/buggy_leak.c:21".
#
# The kernel names module functions itself while the module is loaded; a
# kmemleak report made after rmmod cannot. tests/lib/module.sh's load()
# writes where each module's sections were:
#   umlab-module NAME KO .text=0x... .init.text=0x... .exit.text=0x...
# and addr2line reads the rest from the .ko.
#
# usage: tests/lib/resolve.sh LOG     (UMLAB_SHARE: the directory shared at
#                                     /share/NAME, for its modules' .ko)
set -euo pipefail

log=$1
ranges=()	# "start end section ko", numbers in decimal

while read -r _ _name ko rest; do
	ko=${ko#/lab/}
	# a shared module directory (make test M=DIR): /share/NAME is DIR
	[ -z "${UMLAB_SHARE:-}" ] || ko=${ko/#\/share\/"${UMLAB_SHARE##*/}"/$UMLAB_SHARE}
	[ -f "$ko" ] || continue
	for kv in $rest; do
		[[ "$kv" =~ ^\.[a-z._]+=0x[0-9a-f]+$ ]] || continue
		sec=${kv%%=*} start=$((${kv#*=}))
		size=$(objdump -h "$ko" | awk -v s="$sec" '$2 == s { print $3; exit }')
		[ -n "$size" ] || continue
		ranges+=("$start $((start + 16#$size)) $sec $ko")
	done
done < <(tr -d '\r' <"$log" | grep -a '^umlab-module ' || true)

# resolve HEX: "function at file:line", or nothing
resolve() {
	local v=$((16#$1)) r start end sec ko out
	for r in "${ranges[@]}"; do
		read -r start end sec ko <<<"$r"
		if [ "$v" -ge "$start" ] && [ "$v" -lt "$end" ]; then
			# -i: the chain of inlined calls, innermost first; the
			# last pair is the function the module's code is in
			out=$(addr2line -f -i -j "$sec" -e "$ko" "$(printf '0x%x' $((v - start)))" 2>/dev/null) || return 0
			local -a f=()
			mapfile -t f <<<"$out"
			local n=${#f[@]}
			[ "$n" -ge 2 ] || return 0
			printf '%s at %s' "${f[n - 2]}" "$(realpath --relative-to=. "${f[n - 1]%% *}" 2>/dev/null || echo "${f[n - 1]}")"
			[ "$n" -le 2 ] || printf ' (inlined: %s)' "${f[0]}"
			return 0
		fi
	done
}

tr -d '\r' <"$log" | while IFS= read -r line; do
	if [ ${#ranges[@]} -gt 0 ] && [[ "$line" != umlab-module* ]] &&
		[[ "$line" == *0x* || "$line" == *"[<"* ]]; then
		# every hex number on the line: the first one in a module wins
		mapfile -t hexes < <(grep -oE '(0x|\[<)[0-9a-f]{7,16}' <<<"$line" | sed -E 's/^(0x|\[<)0*//')
		for hex in "${hexes[@]}"; do
			where=$(resolve "$hex")
			if [ -n "$where" ]; then
				line="$line  <- $where"
				break
			fi
		done
	fi
	printf '%s\n' "$line"
done
