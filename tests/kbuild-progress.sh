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
# a stand-in for Kbuild: 60 compile units; -n is a dry run
for i in $(seq 60); do
	case " $* " in
	*" -n "*) echo "set -e;  echo '  CC      f$i.o';   true" ;;
	*) echo "  CC      f$i.o" ;;
	esac
done
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
# the next build takes the kept count, and a failure is the build's
echo 80 >"$w/kout/.umlab-units"
out=$(STANDIN_RC=2 scripts/kbuild-progress.sh "$w/kout" "$w/make" all 2>&1)
rc=$?
[ "$rc" -eq 2 ] || fail "make's status 2 came back as $rc"
echo "$out" | grep -qx '  KERNEL   8/80 units, 10%' || fail "the kept count was not the total: $out"
echo "ok: progress by tenths, warnings through, the count kept, the status passed on"
