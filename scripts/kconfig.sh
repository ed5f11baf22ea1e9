#!/usr/bin/env bash
# Make the lab kernel's .config: arch/um's x86_64_defconfig plus the
# fragments named on the command line, merged with the kernel's own
# scripts/kconfig/merge_config.sh, then checked: every value a fragment
# asks for must be in the result.
#
# usage: scripts/kconfig.sh KSRC KOUT FRAGMENT...
set -euo pipefail

die() { printf 'kconfig: %s\n' "$*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: $0 KSRC KOUT FRAGMENT..."
ksrc=$1 kout=$2
shift 2

# symbol -> "value<TAB>fragment:line" for everything the fragments request
declare -A want=()

read_fragment() {
	local frag=$1 n=0 line sym val
	[ -r "$frag" ] || die "cannot read config fragment $frag"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*} val=${line#*=} ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# } sym=${sym%% *} val=n ;;
		"" | "#"*)
			continue ;;
		*)
			die "$frag:$n: not a config line: $line" ;;
		esac
		[[ "$sym" =~ ^CONFIG_[A-Za-z0-9_]+$ ]] ||
			die "$frag:$n: bad symbol name: $sym"
		if [ -n "${want[$sym]+set}" ]; then
			local old=${want[$sym]}
			[ "${old%%	*}" = "$val" ] ||
				die "$frag:$n: $sym=$val conflicts with $sym=${old%%	*} at ${old#*	}"
		fi
		want[$sym]="$val	$frag:$n"
	done < "$frag"
}

for frag in "$@"; do
	read_fragment "$frag"
done

mkdir -p "$kout"
# (M= empty: make test M=DIR hands its M down, which is ours, not Kbuild's)
make -s -C "$ksrc" O="$(realpath "$kout")" ARCH=um M= x86_64_defconfig >/dev/null
# -m: merge only; olddefconfig below fills in the rest.
"$ksrc/scripts/kconfig/merge_config.sh" -m -O "$kout" "$kout/.config" "$@" \
	>"$kout/merge_config.log" 2>&1 ||
	die "merge_config.sh failed, see $kout/merge_config.log"
make -s -C "$ksrc" O="$(realpath "$kout")" ARCH=um M= olddefconfig >/dev/null

# Did every request survive? Dependencies can silently turn an option off.
bad=0
for sym in "${!want[@]}"; do
	val=${want[$sym]%%	*} where=${want[$sym]#*	}
	if [ "$val" = n ]; then
		grep -q "^$sym=" "$kout/.config" || continue
		got=$(grep "^$sym=" "$kout/.config")
	else
		grep -qxF "$sym=$val" "$kout/.config" && continue
		got=$(grep -E "^(# )?${sym}[= ]" "$kout/.config" || echo "$sym unknown to this kernel")
	fi
	printf 'kconfig: %s asks for %s=%s, but the result has: %s\n' \
		"$where" "$sym" "$val" "$got" >&2
	bad=1
done
if [ "$bad" -ne 0 ]; then
	mv "$kout/.config" "$kout/.config.rejected"
	die "fix the fragment (a dependency may be missing); result kept as $kout/.config.rejected"
fi
