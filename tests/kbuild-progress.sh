#!/usr/bin/env bash
# where: host
# The first kernel build shows how far it is (scripts/kbuild-progress.sh),
# checked with a stand-in for make: a line at every tenth of the units a
# dry run announced, warnings through as they come, the count kept for the
# next build, and make's status passed on.
set -u
fail() { echo "FAIL: $*"; exit 1; }

w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cat >"$w/make" <<'EOF_SH'
#!/bin/sh
# a stand-in for Kbuild: 60 compile units; -n is a dry run (of
# STANDIN_DRY units)
case " $* " in
*" -n "*)
	for i in $(seq "${STANDIN_DRY:-60}"); do echo "set -e;  echo '  CC      f$i.o';   true"; done ;;
*)
	for i in $(seq 60); do echo "  CC      f$i.o"; done ;;
esac
case " $* " in *" -n "*) exit 0 ;; esac
echo "f7.c:1:1: warning: a warning of the build" >&2
exit "${STANDIN_RC:-0}"
EOF_SH
chmod +x "$w/make"
out=$(scripts/kbuild-progress.sh "$w/kout" "$w/make" all 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "exited $rc"
echo "$out" | grep -qx '  KERNEL   6/60 units, 10%' || fail "no line at 10%"
echo "$out" | grep -qx '  KERNEL   54/60 units, 90%' || fail "no line at 90%"
[ "$(echo "$out" | grep -c 'units, ')" -eq 10 ] || fail "not one line a tenth"
echo "$out" | grep -qx 'f7.c:1:1: warning: a warning of the build' || fail "the warning did not come through"
echo "$out" | grep -q '^  CC ' && fail "Kbuild's own lines were shown"
[ "$(cat "$w/kout/.umlab-units")" = 60 ] || fail "the count was not kept"
# a dry run that stops early (as before BTF's tools are built) gives no
# total: the count alone, no wrong percentages
out=$(STANDIN_DRY=3 scripts/kbuild-progress.sh "$w/kout2" "$w/make" all 2>&1)
echo "$out" | grep -q 'units, ' && fail "percentages from a dry run of 3 units: $out"
echo "$out" | grep -qx '  KERNEL   60 units' || fail "no count without a total: $out"
# the next build takes the kept count, and a failure is the build's
echo 80 >"$w/kout/.umlab-units"
out=$(STANDIN_RC=2 scripts/kbuild-progress.sh "$w/kout" "$w/make" all 2>&1)
rc=$?
[ "$rc" -eq 2 ] || fail "make's status 2 came back as $rc"
echo "$out" | grep -qx '  KERNEL   8/80 units, 10%' || fail "the kept count was not the total: $out"
echo "ok: progress by tenths, warnings through, the count kept, the status passed on"
