#!/usr/bin/env bash
# Run a kernel build and show how far it is: at a terminal, one line that
# updates ("  KERNEL   412/865 units, 47%"); elsewhere a plain line at
# every tenth. Kbuild's own "  CC ..." lines are what is counted, and not
# shown (V=1 shows everything); warnings and errors pass through as they
# come. The total is the last build's count for this directory, or, the
# first time, what a dry run (make -n) says it would compile; without one,
# the count alone.
#
# usage: scripts/kbuild-progress.sh KOUT MAKE-COMMAND...
set -uo pipefail

kout=$1
shift
count=$kout/.umlab-units
# Kbuild's "  TAG     path" lines: all hidden, the compile units counted
kbuild='^  [A-Z][A-Z0-9_]*( \[M\])? +[^ ]'
units='^  (CC|AS|AR|LD|HOSTCC|HOSTLD)( |\[M\])'

total=
[ -s "$count" ] && read -r total <"$count"
if ! [[ "$total" =~ ^[1-9][0-9]*$ ]]; then
	total=$("$@" -n 2>/dev/null | grep -cE "^set -e; +echo '  (CC|AS|AR|LD|HOSTCC) ")
	# (a kernel has hundreds; a dry run that found a handful stopped
	# early, as it does before BTF's resolve_btfids is built: no total)
	[[ "$total" =~ ^[1-9][0-9]*$ ]] && [ "$total" -ge 20 ] || total=
fi

tty=0
[ -t 2 ] && tty=1
done=0 shown=-1
while IFS= read -r line; do
	if [[ "$line" =~ $kbuild ]] && ! [[ "$line" =~ $units ]]; then
		continue
	elif [[ "$line" =~ $units ]]; then
		done=$((done + 1))
		if [ -n "$total" ]; then
			pct=$((done * 100 / total))
			[ "$pct" -le 99 ] || pct=99
			if [ "$tty" = 1 ]; then
				printf '\r  %-8s %d/%d units, %d%%  ' KERNEL "$done" "$total" "$pct" >&2
			elif [ $((pct / 10)) -gt "$shown" ]; then
				shown=$((pct / 10))
				printf '  %-8s %d/%d units, %d%%\n' KERNEL "$done" "$total" "$pct" >&2
			fi
		elif [ "$tty" = 1 ]; then
			printf '\r  %-8s %d units  ' KERNEL "$done" >&2
		elif [ $((done % 100)) = 0 ]; then
			printf '  %-8s %d units\n' KERNEL "$done" >&2
		fi
	else
		[ "$tty" = 0 ] || printf '\r\033[K' >&2
		printf '%s\n' "$line"
	fi
done < <("$@" 2>&1)
wait $! 2>/dev/null
rc=$?
[ "$tty" = 0 ] || printf '\r\033[K' >&2
# (a handful is a build with little to do: no total for the next one)
if [ "$rc" -eq 0 ] && [ "$done" -ge 50 ]; then
	mkdir -p "$kout" && echo "$done" >"$count"
	printf '  %-8s %d units\n' KERNEL "$done" >&2
fi
exit "$rc"
