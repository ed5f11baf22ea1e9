#!/usr/bin/env bash
# What a running guest kernel is doing, told by the kernel itself through
# UML's management console (Debian's uml_mconsole): its blocked tasks with
# their stacks (sysrq w) and, when the kernel has lockdep, every lock held
# and by whom (sysrq d). The output goes to the guest's console, at
# console log level 9 so that none of it is held back, then back to 4
# (run.sh --timeout).
#
# usage: scripts/sysrq.sh MCONSOLE-SOCKET KERNEL-CONFIG
set -uo pipefail

sock=$1 config=$2
command -v uml_mconsole >/dev/null ||
	{ echo "sysrq.sh: uml_mconsole is missing (make deps installs uml-utilities)"; exit 1; }
[ -S "$sock" ] || { echo "sysrq.sh: no management console at $sock"; exit 1; }
keys=(9 w)
grep -q '^CONFIG_LOCKDEP=y' "$config" 2>/dev/null && keys+=(d)
keys+=(4)	# the quiet console again: what comes next is the lab stopping it
for k in "${keys[@]}"; do
	uml_mconsole "$sock" sysrq "$k" >/dev/null 2>&1 ||
		echo "sysrq.sh: the management console did not take sysrq $k"
done
# the console writes what the handlers printed as the kernel goes on
sleep 0.5
