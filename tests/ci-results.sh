#!/usr/bin/env bash
# where: host
# timeout: 120
# Results for CI (docs/ci.md). A run with a passing, a failing and a
# skipped test exits 1, its KTAP says "not ok" for the failure, and its
# JUnit XML (xmllint) and JSON (python's json) have each test with the
# right status, the failure's evidence, and each test's output and kernel
# log, which LOG_DIR keeps too. A lab that cannot run at all (the guest's
# memory does not fit in TMPDIR) exits 3 with one "Bail out!" and the
# reason, and an <error> in the JUnit. A log directory holding files of
# someone else's is refused, and the files are left alone.
set -u
fail() { echo "FAIL: $*"; exit 1; }

base=$PWD/build/tests/ci-results.$$
# (a directory outside the lab's build, as a CI job's would be)
theirs=$(mktemp -d)
trap 'rm -rf "$base" "$theirs" "$theirs".out "$theirs".xml "$theirs".json' EXIT
mkdir -p "$base/tests"
printf '%s\n' '# where: guest' 'echo passing-output' >"$base/tests/good.sh"
printf '%s\n' '# where: guest' 'echo failing-output' 'echo "FAIL: 2 + 2 is not 5"' 'exit 1' >"$base/tests/bad.sh"
printf '%s\n' '# where: guest' 'echo "SKIP: nothing to do here"' 'exit 4' >"$base/tests/idle.sh"

# runner LOGDIR [ENV...]: the runner on those three tests, with JUnit and
# JSON; its KTAP in LOGDIR.out, its status in $rc
runner() {
	local logs=$1
	shift
	env "$@" UMLAB_TESTS_DIR="${base#"$PWD"/}/tests" UMLAB_LOG_DIR="$logs" \
		UMLAB_JUNIT="$logs.xml" UMLAB_JSON="$logs.json" \
		tests/lib/run-tests.sh >"$logs.out" 2>&1
	rc=$?
	cat "$logs.out"
}

runner "$base/run"
[ "$rc" = 1 ] || fail "a run with a failed test exited $rc, not 1"
grep -qx 'not ok 1 bad' "$base/run.out" || fail "no 'not ok 1 bad' in the KTAP"
grep -q '^Bail out!' "$base/run.out" && fail "a test that failed made a Bail out!"
xml=$base/run.xml
xmllint --noout "$xml" || fail "the JUnit XML does not parse"
xp() { xmllint --xpath "$1" "$xml"; }
[ "$(xp 'count(//testcase)')" = 3 ] || fail "not 3 test cases in the JUnit XML"
[ "$(xp 'count(//testcase[@name="bad"]/failure)')" = 1 ] || fail "bad has no <failure>"
xp 'string(//testcase[@name="bad"]/failure)' | grep -q 'FAIL: 2 + 2 is not 5' ||
	fail "the failure's evidence is not in its <failure>"
[ "$(xp 'count(//testcase[@name="idle"]/skipped[@message="nothing to do here"])')" = 1 ] ||
	fail "idle is not <skipped> with its reason"
[ "$(xp 'count(//testcase[@name="good"]/*[self::failure or self::skipped or self::error])')" = 0 ] ||
	fail "good is not a plain pass"
xp 'string(//testcase[@name="good"]/system-out)' | grep -qx passing-output ||
	fail "good's output is not its <system-out>"
xp 'string(//testcase[@name="good"]/system-err)' | grep -q 'Linux version' ||
	fail "good's kernel log is not its <system-err>"
[ "$(xp 'string(/testsuites/@failures)')/$(xp 'string(/testsuites/@skipped)')" = 1/1 ] ||
	fail "the totals of the JUnit XML are wrong"
python3 -c '
import json, sys
got = {t["name"]: t["status"] for t in json.load(open(sys.argv[1]))["test_cases"]}
want = {"good": "PASS", "bad": "FAIL", "idle": "SKIP"}
sys.exit(0 if got == want else "JSON: %s, not %s" % (got, want))' "$base/run.json" ||
	fail "the JSON results are wrong"
grep -qx failing-output "$base/run/bad.log" || fail "no bad.log in LOG_DIR"
grep -q 'Linux version' "$base/run/good.dmesg" || fail "no good.dmesg (the kernel log) in LOG_DIR"
echo "ok: a failed test: status 1, not ok, JUnit and JSON right, logs kept"

# TMPDIR too small for the guest's memory: nothing can boot
free=$(df -Pk "${TMPDIR:-/dev/shm}" | awk 'NR == 2 { print $4 }')
runner "$base/nolab" MEM=$((free / 1024 + 1024))M
[ "$rc" = 3 ] || fail "a lab that cannot run exited $rc, not 3"
grep -q '^Bail out! .*KiB free, the guest.s memory needs' "$base/nolab.out" ||
	fail "no Bail out! with the reason"
grep -qE '^(not )?ok ' "$base/nolab.out" && fail "tests were reported when nothing could run"
xml=$base/nolab.xml
[ "$(xp 'count(//testcase/error)')" = 1 ] || fail "no <error> in the JUnit XML of a bail-out"
echo "ok: a lab that cannot run: status 3, Bail out! with the reason, a JUnit <error>"

# someone's files where the logs would go
echo keep >"$theirs/notes.txt"
runner "$theirs"
[ "$rc" = 2 ] || fail "a log directory with other files was taken (status $rc)"
grep -q 'has files that are not the lab.s logs' "$theirs.out" || fail "no reason given"
[ "$(cat "$theirs/notes.txt")" = keep ] || fail "the file in the log directory was touched"
echo "ok: a log directory with someone else's files is refused, untouched"
