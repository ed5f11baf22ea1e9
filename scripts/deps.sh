#!/usr/bin/env bash
# Install the Debian packages the lab needs, if any are missing.
# As root: apt-get. Otherwise: sudo, if it works without a password
# prompt we cannot answer. Otherwise: say the exact command and fail.
#
# usage: scripts/deps.sh [--check]   (--check: report only, never install)
set -euo pipefail

packages=(
	linux-source-6.12	# kernel source tarball in /usr/src (KERNEL=6.12)
	busybox-static		# the guest's userland
	e2fsprogs		# mkfs.ext4 -d builds the rootfs without root
	gdb			# gdb ./linux
	gcc make flex bison bc libelf-dev libssl-dev perl python3 xz-utils
	ccache			# fast rebuilds
	strace			# copied into the guest
	sudo			# copied into the guest
	time			# make bench: peak memory
	procps			# pgrep/pkill: nothing of a run may outlive it
	uml-utilities		# uml_mconsole: a timed-out guest shows its blocked tasks
	lcov			# make coverage: lcov and genhtml
	libxml2-utils		# xmllint: the tests read make test JUNIT= with it
)

# The 7.3 line has BPF (docs/bpf.md): pahole makes its BTF, the guest
# gets Debian's bpftrace and bpftool (scripts/bpf-tools.sh), and its
# programs that load BPF from C link libbpf.
if [ "${KERNEL:-6.12}" = 7.3 ]; then
	packages+=(pahole bpftrace bpftool libbpf-dev)
fi

# KERNEL_SRC=/path/to/linux replaces the tarball; the other kernel lines'
# sources are fetched, not installed (scripts/kernel-source.sh).
if [ -n "${KERNEL_SRC:-}" ] || [ "${KERNEL:-6.12}" != 6.12 ]; then
	packages=("${packages[@]/linux-source-6.12/}")
fi

# one question to the package database for all of them
declare -A installed=()
while read -r p status; do
	[ "$status" = "install ok installed" ] && installed[$p]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for p in "${packages[@]}"; do
	[ -n "$p" ] || continue
	[ -n "${installed[$p]:-}" ] || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y ${missing[*]}"
echo "umlab: missing packages: ${missing[*]}" >&2
if [ "${1:-}" = --check ]; then
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=(sudo -n)
else
	echo "umlab: cannot install them as $(id -un) (not root, no password-less sudo)." >&2
	echo "umlab: run this as root, then try again:" >&2
	echo "    apt-get update && $cmd" >&2
	exit 1
fi

echo "umlab: installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >&2
"${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2
