#!/usr/bin/env bash
# where: host
# timeout: 180
# A HOME where nothing can be written, as some CI runners have: ccache
# cannot keep its cache in ~/.cache, so the lab gives it one in the build
# (build/ccache), and make test M=DIR builds a module through ccache, whose
# objects land there, and passes, without "ccache: error". (/proc/sys/kernel stands for the read-only HOME: not
# even root can make a directory there.)
set -u
fail() { echo "FAIL: $*"; exit 1; }
. tests/lib/outside.sh

ro=/proc/sys/kernel
! mkdir -p "$ro/.cache" 2>/dev/null || fail "$ro takes new directories here"
# a new path: compiled for the first time, through ccache
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r tests/extmod/shout "$work/shout"
cached() { find build/ccache -type f 2>/dev/null | wc -l; }
before=$(cached)
out=$(CCACHE_DIR='' XDG_CACHE_HOME='' HOME=$ro labmake test M="$work/shout" T=check.sh 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "make test M=... with HOME=$ro exited $rc"
echo "$out" | grep -qx 'ok 1 check' || fail "no 'ok 1 check' line"
echo "$out" | grep -q 'ccache: error' && fail "ccache failed"
[ -f "$work/shout/shout.ko" ] || fail "no shout.ko"
[ "$(cached)" -gt "$before" ] || fail "nothing was cached in build/ccache"
echo "ok: a read-only HOME: ccache's directory in the build, a module built and tested"
