#!/usr/bin/env bash
# The lab's test runner: runs tests/*.sh and prints KTAP version 1
# (Documentation/dev-tools/ktap.rst), then "N passed, N failed, N skipped".
#
# A test is a shell script tests/NAME.sh whose header says where it runs:
#   # where: guest      inside a fresh UML instance, cwd /lab (the default)
#   # where: host       on the host, cwd the project (it may call ./run.sh)
#   # timeout: SECONDS  wall-clock limit (default $UMLAB_TEST_TIMEOUT or 60)
#   # append: ARGS      extra kernel arguments for a guest test's boot
# Exit status 0 passes, 4 skips (as in kselftest; the last line starting
# with "SKIP:" is the reason), anything else fails. A guest test also fails
# when the kernel logs an Oops, BUG, WARNING, call trace or panic, or gains a
# taint flag, while it runs (see tests/lib/guest-run.sh).
#
# usage: tests/lib/run-tests.sh [NAME...]    (no NAME: every test)
# UMLAB_TESTS_DIR (default tests) and UMLAB_LOG_DIR (default build/tests)
# point it elsewhere; tests/runner.sh uses them to test the runner itself.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
default_timeout=${UMLAB_TEST_TIMEOUT:-60}
testdir=${UMLAB_TESTS_DIR:-tests}
logdir=${UMLAB_LOG_DIR:-$top/build/tests}
KSFT_SKIP=4

die() { printf 'run-tests: %s\n' "$*" >&2; exit 2; }

header() {	# header FILE KEY DEFAULT
	local v
	v=$(sed -n "s/^# $2: *//p" "$1" | head -n 1)
	echo "${v:-$3}"
}

if [ $# -gt 0 ]; then
	names=("$@")
	for n in "${names[@]}"; do
		[ -f "$testdir/$n.sh" ] || die "no test '$n' ($testdir/$n.sh); see 'ls $testdir/*.sh'"
	done
else
	names=()
	for f in "$testdir"/*.sh; do
		[ -f "$f" ] || continue
		n=${f#"$testdir"/}
		names+=("${n%.sh}")
	done
fi
[ ${#names[@]} -gt 0 ] || die "no tests found in $testdir/"

rm -rf "$logdir"
mkdir -p "$logdir"

# Ctrl-C ends the run; run.sh and timeout clean up their own instances.
trap 'echo "# interrupted" >&2; exit 130' INT TERM

passed=0 failed=0 skipped=0 i=0
echo "KTAP version 1"
echo "1..${#names[@]}"
for name in "${names[@]}"; do
	i=$((i + 1))
	file=$testdir/$name.sh
	log=$logdir/$name.log
	where=$(header "$file" where guest)
	limit=$(header "$file" timeout "$default_timeout")
	read -r -a kargs <<<"$(header "$file" append "")"
	boot=()
	for a in "${kargs[@]}"; do
		boot+=(--append "$a")
	done
	start=$(date +%s.%N)
	set +e
	case "$where" in
	host)
		timeout -k 5 "$limit" bash "$file" >"$log" 2>&1 </dev/null ;;
	guest)
		timeout -k 5 "$limit" ./run.sh "${boot[@]}" -- sh tests/lib/guest-run.sh "$file" \
			>"$log" 2>&1 </dev/null ;;
	*)
		echo "bad '# where: $where' in $file" >"$log"; false ;;
	esac
	rc=$?
	set -e
	secs=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.2f", $1 - $2 }')

	directive=
	if [ "$rc" -eq 0 ]; then
		result="ok"
		passed=$((passed + 1))
	elif [ "$rc" -eq "$KSFT_SKIP" ]; then
		result="ok"
		reason=$(sed -n 's/^SKIP: *//p' "$log" | tail -n 1 | tr -d '\r')
		directive=" # SKIP ${reason:-skipped}"
		skipped=$((skipped + 1))
	else
		result="not ok"
		[ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && directive=" # TIMEOUT after ${limit}s"
		failed=$((failed + 1))
		# The evidence: the test's output, as KTAP diagnostics.
		tr -d '\r' <"$log" | tail -n 60 | sed 's/^/# /'
	fi
	[ "${V:-0}" = 1 ] && [ "$result" = ok ] && tr -d '\r' <"$log" | sed 's/^/# /'
	echo "# $name: ${secs}s"
	echo "$result $i $name$directive"
done

echo "# logs: ${logdir#"$top"/}/"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
