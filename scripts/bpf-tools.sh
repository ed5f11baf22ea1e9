#!/usr/bin/env bash
# Debian's bpftrace and bpftool for the guest (docs/bpf.md): the programs
# and every shared library they load, copied into OUT, which the guest sees
# at /lab/build/bpf, with a wrapper per program in OUT/bin that runs it
# through the dynamic loader copied along. The guest's rootfs stays as it
# is; a run that does not call them reads none of it.
#
# usage: scripts/bpf-tools.sh OUT
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUT" >&2; exit 2; }
out=$1
tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/libexec" "$tmp/lib"

progs=()
for p in bpftrace bpftool; do
	path=$(PATH=$PATH:/usr/sbin:/sbin command -v "$p") ||
		{ echo "bpf-tools: no $p on this host (make deps KERNEL=7.3 installs it)" >&2; exit 1; }
	progs+=("$path")
done

loader=
for path in "${progs[@]}"; do
	name=${path##*/}
	cp "$path" "$tmp/libexec/$name"
	# its libraries, as the host's loader finds them
	while read -r lib; do
		cp -n "$lib" "$tmp/lib/"
	done < <(ldd "$path" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
	loader=$(ldd "$path" | awk '$1 ~ /^\/.*ld-linux/ { print $1 }')
	cat >"$tmp/bin/$name" <<WRAPPER
#!/bin/sh
# $name from Debian, with its own libraries (scripts/bpf-tools.sh)
d=\${0%/bin/*}
exec "\$d/lib/${loader##*/}" --library-path "\$d/lib" "\$d/libexec/$name" "\$@"
WRAPPER
	chmod +x "$tmp/bin/$name"
done
cp "$loader" "$tmp/lib/"
rm -rf "$out"
mv "$tmp" "$out"
