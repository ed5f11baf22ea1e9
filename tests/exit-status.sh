#!/usr/bin/env bash
# where: host
# run.sh passes the guest command's exit status, output and arguments through.
set -u
fail() { echo "FAIL: $*"; exit 1; }

./run.sh -- sh -c 'exit 7'
rc=$?
[ "$rc" -eq 7 ] || fail "run.sh -- sh -c 'exit 7' exited $rc"

./run.sh -- true || fail "run.sh -- true exited $?"

# shellcheck disable=SC2016 # $HOME must reach the guest unexpanded
out=$(./run.sh -- printf '%s|' 'a b' "it's" '$HOME' '')
[ "$out" = "a b|it's|\$HOME||" ] || fail "arguments were not passed as given: '$out'"

out=$(echo 'uname -r; echo done' | ./run.sh)
printf '%s\n' "$out"
[ "$(printf '%s\n' "$out" | head -n 1 | tr -d '\r')" = "$(cat "$UMLAB_BUILD/kernel/include/config/kernel.release")" ] ||
	fail "stdin mode did not print the kernel release first: '$out'"
printf '%s\n' "$out" | grep -qx 'done' || fail "stdin mode did not run the second command"

err=$(./run.sh --frobnicate 2>&1)
rc=$?
{ [ "$rc" -eq 2 ] && [[ "$err" == *"unknown option '--frobnicate'"* ]]; } ||
	fail "an unknown option gave status $rc and '$err'"
echo "exit status ok"
