#!/usr/bin/env bash
# Filter: a test's output with every place in a module's code the kernel
# names ("func+0x35/0x230 [mod]", in a stack frame or a fault's "ip")
# decoded to its source line, "func (file.c:LINE) [mod]", for any module
# the lab knows: its own (this profile's build, make coverage's, the
# runner's broken ones) and those of the shared directory, however they
# were loaded. Other lines pass unchanged.
#
# A .ko's sections all start at 0, so the symbol's own section is looked
# up and addr2line told about it (-j): an __init function's offsets are in
# .init.text, not in .text. A stack frame is a return address: its call
# is the byte before it.
#
# usage: tests/lib/decode.sh [SHARED-DIR] < LOG
set -uo pipefail

b=${UMLAB_BUILD:-build}
place='([A-Za-z0-9_.]+)\+0x([0-9a-f]+)/0x[0-9a-f]+ \[([A-Za-z0-9_]+)\]'
declare -A ko_of=() done_of=()
for d in "$b/modules" "$b/broken" "$b/coverage/modules" ${1:+"$1"}; do
	[ -d "$d" ] || continue
	while read -r ko; do
		name=${ko##*/}
		name=${name%.ko}
		ko_of[${name//-/_}]=$ko
	done < <(find "$d" -name .git -prune -o -name '*.ko' -type f -print)
done

# where FUNC OFF KO CALL: "file:line" of FUNC+OFF in KO (CALL=1: the call
# before a return address), or nothing
where() {
	local fn=$1 off=$2 ko=$3 call=$4 value ndx sec
	read -r value ndx < <(readelf -sW "$ko" 2>/dev/null |
		awk -v f="$fn" '$8 == f && $4 == "FUNC" { print $2, $7; exit }')
	[ -n "${ndx:-}" ] || return
	sec=$(readelf -SW "$ko" 2>/dev/null |
		sed -n "s/^ *\[ *$ndx\] \([^ ]*\) .*/\1/p")
	[ -n "$sec" ] || return
	addr2line -j "$sec" -e "$ko" \
		"$(printf '0x%x' $((16#$value + 16#$off - call)))" 2>/dev/null |
		grep -v '^??' | head -n 1 | sed 's/ (discriminator [0-9]*)//'
}

while IFS= read -r line; do
	if [[ "$line" =~ $place ]] && [ -n "${ko_of[${BASH_REMATCH[3]}]:-}" ]; then
		whole=${BASH_REMATCH[0]} fn=${BASH_REMATCH[1]}
		off=${BASH_REMATCH[2]} mod=${BASH_REMATCH[3]}
		call=0
		[[ "$line" == *"[<"* ]] && call=1
		key="$fn $off $call"
		[ -n "${done_of[$key]+x}" ] ||
			done_of[$key]=$(where "$fn" "$off" "${ko_of[$mod]}" "$call")
		[ -z "${done_of[$key]}" ] ||
			line=${line/"$whole"/"$fn (${done_of[$key]}) [$mod]"}
	fi
	printf '%s\n' "$line"
done
