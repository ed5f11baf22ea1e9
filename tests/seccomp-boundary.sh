#!/usr/bin/env bash
# where: host
# timeout: 200
# The host boundary and UML's two userspaces (UML 6.16 and later: ptrace
# and seccomp). tests/progs/seccomp-escape.c attacks as a hostile guest
# process would: a host openat() made straight from the stub's code page
# at the top of its address space, then the stub's hand-over with the
# kernel played by itself, for the guest's physical memory and through it
# code run by the UML kernel, a host process under no filter. In the ptrace
# userspace, which the lab boots (run.sh says seccomp=off), every attempt
# is stopped, for root and for an ordinary guest user; asking for the
# seccomp userspace gets a warning that it does not confine guest
# processes (there the same program reads the host file: docs/kernel.md).
set -u
fail() { echo "FAIL: $*"; exit 1; }

release=$(cat "$UMLAB_BUILD/kernel/include/config/kernel.release")
if ! [[ "$release" =~ ^([0-9]+)\.([0-9]+) ]] ||
	(( BASH_REMATCH[1] * 1000 + BASH_REMATCH[2] < 6016 )); then
	echo "SKIP: Linux $release has only the ptrace userspace (try make test KERNEL=7.3)"
	exit 4
fi

secret_dir=$(mktemp -d)
trap 'rm -rf "$secret_dir"' EXIT
secret=$secret_dir/secret
echo "umlab-secret-$$-$RANDOM" >"$secret"
chmod 644 "$secret"
prog=/lab/build/progs/seccomp-escape

for who in root 1000; do
	u=()
	[ "$who" = root ] || u=(-u "$who")
	out=$(./run.sh -- "$prog" -q "${u[@]}" "$secret" 60 2>&1)
	rc=$?
	echo "$out"
	[ "$rc" -eq 1 ] || fail "as $who: seccomp-escape exited $rc, not 1 (contained)"
	echo "$out" | grep -q '^contained: ptrace mode;' || fail "as $who: no 'contained' verdict in ptrace mode"
	! echo "$out" | grep -qF "$(cat "$secret")" || fail "as $who: the secret was read"
	echo "ok: as $who, the ptrace userspace stops every attempt"
done

err=$(./run.sh --append seccomp=on -- true 2>&1 >/dev/null)
[[ "$err" == "run.sh: seccomp=on: guest processes can make host system calls as $(id -un): "* ]] ||
	fail "no warning for seccomp=on: '$err'"
echo "ok: seccomp=on is warned about: $err"
