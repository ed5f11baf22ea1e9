#!/usr/bin/env bash
# where: host
# timeout: 240
# scripts/ci.sh, a module repository's CI job (docs/ci.md), on a copy of
# tests/extmod/shout: its test passes (status 0, JUnit, JSON, logs in
# RESULTS); a test that fails gives 1; a module that does not compile gives
# 1 and a "not ok 1 build" with the compiler's error; a lab that cannot run
# gives 3 and "Bail out!"; TERM to ci.sh alone while a test runs ends it
# within 5 s, leaving no process and no run directory.
set -u
fail() { echo "FAIL: $*"; exit 1; }
. tests/lib/outside.sh

work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$work"' EXIT
cp -r tests/extmod/shout "$work/shout"
mkdir -p "$work/tmp"
ci() {	# ci ARGS...: scripts/ci.sh from the job's directory; $rc, $work/out
	(cd "$work" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u T -u M \
		"$OLDPWD/scripts/ci.sh" shout ${UMLAB_LINE:+"KERNEL=$UMLAB_LINE"} \
		PROFILE="${UMLAB_PROFILE:-default}" "$@") >"$work/out" 2>&1 </dev/null
	rc=$?
	cat "$work/out"
}
r=$work/umlab-results

ci T=check.sh
[ "$rc" = 0 ] || fail "a passing test: status $rc"
grep -qx 'ok 1 check' "$work/out" || fail "no 'ok 1 check'"
xmllint --xpath 'string(//testcase[@name="check"]/system-out)' "$r/results.xml" |
	grep -q 'check: PASS' || fail "the JUnit XML lacks the test's output"
python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["test_cases"]; sys.exit(t != [{"name": "check", "status": "PASS"}])' \
	"$r/results.json" || fail "the JSON is not one passed test"
grep -q 'Linux version' "$r/logs/check.dmesg" || fail "no kernel log in $r/logs"
echo "ok: a passing test: 0, JUnit, JSON, logs"

printf '%s\n' 'echo "FAIL: planted"' 'exit 1' >>"$work/shout/check.sh"
ci T=check.sh
[ "$rc" = 1 ] || fail "a failing test: status $rc"
grep -qx 'not ok 1 check' "$work/out" || fail "no 'not ok 1 check'"
cp tests/extmod/shout/check.sh "$work/shout/"
echo "ok: a failing test: 1"

echo 'int broken(' >>"$work/shout/shout.c"
ci
[ "$rc" = 1 ] || fail "a module that does not build: status $rc"
grep -qx 'not ok 1 build' "$r/results.ktap" || fail "no 'not ok 1 build'"
xmllint --xpath 'string(//testcase[@name="build"]/failure)' "$r/results.xml" |
	grep -q 'shout.c' || fail "the compiler's error is not the build's <failure>"
cp tests/extmod/shout/shout.c "$work/shout/"
echo "ok: a module that does not build: 1, not ok 1 build"

free=$(df -Pk "${TMPDIR:-/dev/shm}" | awk 'NR == 2 { print $4 }')
MEM=$((free / 1024 + 1024))M ci
[ "$rc" = 3 ] || fail "a lab that cannot run: status $rc"
grep -q '^Bail out! ' "$work/out" || fail "no Bail out!"
echo "ok: a lab that cannot run: 3, Bail out!"

# TERM to ci.sh alone, while the module's test sleeps in the guest
printf '%s\n' '#!/bin/sh' 'echo slow-up' 'sleep 60' >"$work/shout/umlab-test.sh"
chmod +x "$work/shout/umlab-test.sh"
(cd "$work" && exec env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u T -u M \
	UMLAB_CI_TOKEN=$$ TMPDIR="$work/tmp" "$OLDPWD/scripts/ci.sh" shout \
	${UMLAB_LINE:+"KERNEL=$UMLAB_LINE"} PROFILE="${UMLAB_PROFILE:-default}" \
	TIME_TRAVEL=0) >"$work/out" 2>&1 </dev/null &
pid=$!
for _ in $(seq 300); do
	grep -qs slow-up "$r/logs/umlab-test.log" && break
	sleep 0.1
done
grep -qs slow-up "$r/logs/umlab-test.log" || { cat "$work/out"; fail "the slow test did not start"; }
kill -TERM "$pid"
for _ in $(seq 50); do
	left=$(grep -lsa "UMLAB_CI_TOKEN=$$" /proc/[0-9]*/environ)
	[ -z "$left" ] && [ -z "$(ls -A "$work/tmp")" ] && break
	sleep 0.1
done
wait "$pid"
rc=$?
cat "$work/out"
[ -z "$left" ] || fail "processes left 5 s after TERM: $left"
[ -z "$(ls -A "$work/tmp")" ] || fail "run directories left: $(ls -A "$work/tmp")"
[ "$rc" = 143 ] || fail "ci.sh exited $rc after TERM, not 143"
echo "ok: TERM to ci.sh left nothing (status 143)"
