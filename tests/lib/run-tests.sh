#!/usr/bin/env bash
# The lab's test runner: runs tests/*.sh and prints KTAP version 1
# (Documentation/dev-tools/ktap.rst), then "N passed, N failed, N skipped".
#
# A test is a shell script tests/NAME.sh whose header says where it runs:
#   # where: guest      inside a fresh UML instance, cwd /lab (the default)
#   # where: host       on the host, cwd the project (it may call ./run.sh)
#   # timeout: SECONDS  wall-clock limit (default $UMLAB_TEST_TIMEOUT or 60)
#   # append: ARGS      extra kernel arguments for a guest test's boot
#   # time-travel: no   boot this guest test in real time (timer
#                       interrupts arrive while it runs, as host signals)
#   # time-travel: needed  it waits minutes of simulated time: skipped
#                       in real time (TIME_TRAVEL=0, more than one CPU)
#   # cpus: N           boot it with N virtual CPUs: the line's SMP build,
#                       in real time (skipped on a line without SMP)
#   # requires: CONFIG_X  skip (without booting) unless this profile's
#                       kernel has CONFIG_X=y
#   # expect-bug: ERE   an expected-detection test (one line per pattern):
#                       it passes when the kernel reported trouble and the
#                       report, with module addresses resolved, matches
# Guest tests boot with time-travel=inf-cpu (simulated time) unless
# TIME_TRAVEL=0, and with the kernel arguments in APPEND (make test
# APPEND=seccomp=on); tests run JOBS at a time (default: the number of CPUs).
# A test's exit status 0 passes, 4 skips (as in kselftest; the last line
# starting with "SKIP:" is the reason), anything else fails. A guest test also fails
# when the kernel logs an Oops, BUG, WARNING, call trace or panic, or gains a
# taint flag, while it runs (see tests/lib/guest-run.sh).
#
# The runner's own exit status: 0 every test passed or was skipped, 1 a
# test failed, 2 a usage error (no such test), 3 the lab cannot run on this
# host at all ("Bail out!" in the KTAP, with the reason: no kernel, ptrace
# not allowed, a temporary directory that is noexec or too small).
# Every test's log is kept in the log directory: NAME.log (what it
# printed), NAME.dmesg (its guest kernel's log), and the KTAP of the run in
# results.ktap; UMLAB_JUNIT=FILE and UMLAB_JSON=FILE (make test JUNIT=
# JSON=) also write the results as JUnit XML (tests/lib/junit.sh) and as
# the JSON of the kernel's kunit.py parser.
#
# usage: tests/lib/run-tests.sh [NAME...]    (no NAME: every test)
#        tests/lib/run-tests.sh --share DIR [T...]
# The second form runs the tests of a module directory from anywhere
# (make test M=DIR, see scripts/extmod.sh), each in the guest with DIR
# shared at /share/NAME and as its working directory.
# UMLAB_TESTS_DIR (default tests) and UMLAB_LOG_DIR (make test LOG_DIR=;
# default tests/ in the build: build/tests/, build/7.3/tests/ ...) point
# it elsewhere; tests/runner.sh uses them to test the runner itself. A log
# directory given must be new, empty, or one the runner wrote before.
# UMLAB_COVERAGE=DIR (make coverage, scripts/coverage.sh): guest tests load
# the gcov-instrumented modules in DIR/modules and leave their counters in
# DIR/runs/NAME.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
default_timeout=${UMLAB_TEST_TIMEOUT:-60}
testdir=${UMLAB_TESTS_DIR:-tests}
logdir=${UMLAB_LOG_DIR:-$top/${UMLAB_BUILD:-build}/tests}
KSFT_SKIP=4

die() { printf 'run-tests: %s\n' "$*" >&2; exit 2; }

header() {	# header FILE KEY DEFAULT
	local v
	v=$(sed -n "s/^# $2: *//p" "$1" | head -n 1)
	echo "${v:-$3}"
}

# names: the tests, in the order they are reported; test_file[NAME]: the
# script on the host; test_guest[NAME]: its path in the guest;
# test_log[NAME]: its log and result files, without .log / .result
names=()
declare -A test_file=() test_guest=() test_log=()
share=
if [ "${1:-}" = --share ]; then
	share=$(cd "$2" && pwd)
	shift 2
	sharename=${share##*/}
	mapfile -t rels < <(scripts/extmod.sh tests "$share" "$@")
	[ ${#rels[@]} -gt 0 ] || exit 2
	for rel in "${rels[@]}"; do
		if [ "$rel" = @load-unload ]; then
			n=load-unload test_file[$n]=tests/lib/load-unload.sh
			test_guest[$n]=/lab/tests/lib/load-unload.sh
		else
			n=${rel%.sh} test_file[$n]=$share/$rel
			test_guest[$n]=/share/$sharename/$rel
		fi
		names+=("$n")
	done
	logdir=${UMLAB_LOG_DIR:-$top/${UMLAB_BUILD:-build}/tests/$sharename}
elif [ $# -gt 0 ]; then
	names=("$@")
	for n in "${names[@]}"; do
		[ -f "$testdir/$n.sh" ] || die "no test '$n' ($testdir/$n.sh); see 'ls $testdir/*.sh'"
	done
else
	for f in "$testdir"/*.sh; do
		[ -f "$f" ] || continue
		n=${f#"$testdir"/}
		names+=("${n%.sh}")
	done
fi
[ ${#names[@]} -gt 0 ] || die "no tests found in $testdir/"
for n in "${names[@]}"; do
	: "${test_file[$n]:=$testdir/$n.sh}" "${test_guest[$n]:=$testdir/$n.sh}"
	test_log[$n]=$logdir/${n//\//_}
done

# Longest first, by the last run's times, so that JOBS > 1 ends sooner.
declare -A last_secs=()
for n in "${names[@]}"; do
	[ -f "${test_log[$n]}.result" ] && read -r _ secs _ <"${test_log[$n]}.result" &&
		last_secs[$n]=$secs
done
mapfile -t order < <(for n in "${names[@]}"; do
	echo "${last_secs[$n]:-0} $n"
done | sort -s -k1,1 -rn | cut -d' ' -f2)

# A log directory of the runner's says so: the files of another, which
# the cleaning below would remove, are not the runner's to touch (what
# is in the lab's build directory is the lab's).
lab_owned() {
	local b
	b=$(cd "${UMLAB_BUILD:-build}" 2>/dev/null && pwd) || b=$top/build
	case "$1/" in "$top"/build/* | "$b"/*) return 0 ;; esac
	[ -e "$1/.umlab-logs" ] || [ ! -d "$1" ] || [ -z "$(ls -A "$1")" ]
}
if ! lab_owned "$logdir"; then
	die "the log directory $logdir has files that are not the lab's logs: give a new or empty directory"
fi
mkdir -p "$logdir" || die "cannot make the log directory $logdir"
: >"$logdir/.umlab-logs"
# One run at a time per log directory (two make test M=DIR of one
# directory at once): the second waits, rather than remove the first's logs.
exec {logdir_lock}>"$logdir/.lock"
flock "$logdir_lock"
# this runner's files only: the directories in it are other runs' (make
# test M=DIR logs to build/tests/NAME/, make coverage to .../coverage/)
find "$logdir" -maxdepth 1 -type f ! -name .lock ! -name .umlab-logs -delete
ktap=$logdir/results.ktap

# Ctrl-C, or TERM or HUP to the runner or to its process group (a CI job
# cancelled), ends the run: every test under way is stopped, and the runner
# exits only when their instances are gone. GNU timeout puts each test in
# a process group of its own, out of reach of the terminal's Ctrl-C and of
# a signal to ours: TERM goes to each of those groups (run.sh cleans up its
# instance and run directory on TERM), KILL to what is left after 5 s.
# The subshells may already have died of the same signal, so the groups
# are known from files, not from the subshells.
# shellcheck disable=SC2317 # called from the traps below
stop_tests() {
	local status=$1 f pg i alive
	local -A pgids=()
	trap '' INT TERM HUP
	echo "# interrupted" >&2
	# no test starts after this; one just starting writes its group below
	# shellcheck disable=SC2046 # one word per job
	kill $(jobs -p) 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		for f in "$logdir"/*.pgid; do
			pg=
			[ -f "$f" ] && read -r pg <"$f"
			if [ -z "$pg" ] || [ -n "${pgids[$pg]:-}" ]; then
				continue
			fi
			pgids[$pg]=1
			# the group, and timeout itself should it not have made it yet
			kill -TERM -- "-$pg" "$pg" 2>/dev/null
		done
		alive=
		for pg in "${!pgids[@]}"; do
			kill -0 -- "-$pg" 2>/dev/null && alive=1 && break
		done
		[ -z "$alive" ] && [ "$i" -ge 2 ] && break
		sleep 0.1
	done
	for pg in "${!pgids[@]}"; do kill -KILL -- "-$pg" 2>/dev/null || true; done
	wait
	exit "$status"
}
trap 'stop_tests 130' INT
trap 'stop_tests 143' TERM
trap 'stop_tests 129' HUP

# say LINE...: a line of the run's KTAP, on stdout and in results.ktap
say() { printf '%s\n' "$@" | tee -a "$ktap"; }

# results STATUS: the machine-readable results (JUNIT=, JSON=), then exit
# with STATUS
results() {
	local kunit
	if [ -n "${UMLAB_JUNIT:-}" ]; then
		tests/lib/junit.sh "$ktap" "$logdir" >"$UMLAB_JUNIT" ||
			echo "run-tests: cannot write $UMLAB_JUNIT" >&2
	fi
	if [ -n "${UMLAB_JSON:-}" ]; then
		# (its status says whether the tests passed)
		kunit=${UMLAB_BUILD:-build}/kernel/source/tools/testing/kunit/kunit.py
		rm -f "$UMLAB_JSON"
		python3 "$kunit" parse --json="$UMLAB_JSON" <"$ktap" >/dev/null 2>&1 || true
		[ -s "$UMLAB_JSON" ] || echo "run-tests: kunit.py parse could not write $UMLAB_JSON" >&2
	fi
	exit "$1"
}

# run_one NAME: run one test; its output goes to NAME.log, and its exit
# status and seconds to NAME.result, written last (report() waits for it).
run_one() {
	local name=$1 file=${test_file[$1]} log=${test_log[$1]}.log where limit a start rc secs
	local -a kargs boot=() guest=(sh tests/lib/guest-run.sh)
	local cpus smp_skip tt
	exec {logdir_lock}>&-	# the runner's, not the tests'
	where=$(header "$file" where guest)
	limit=$(header "$file" timeout "$default_timeout")
	read -r -a kargs <<<"$(header "$file" append "")"
	if [ -n "$share" ]; then
		where=guest
		boot+=(--share "$share")
		guest+=(--cd "/share/$sharename")
		# a module directory's scripts run as you, with sudo, as on
		# your machine (AS_ROOT=1: as root); the lab's load-unload as root
		[ "$name" = load-unload ] || [ "${AS_ROOT:-0}" = 1 ] || guest+=(--as-user)
	fi
	# make coverage: instrumented modules, and their counters kept
	if [ -n "${UMLAB_COVERAGE:-}" ]; then
		guest+=(--coverage "/lab/$UMLAB_COVERAGE/runs/${name//\//_}")
		guest+=(--moddir "/lab/$UMLAB_COVERAGE/modules")
	fi
	# A test that asks for CPUs (# cpus: N) boots the line's SMP build
	# (make test builds it for a line that has one); so does every test
	# of make test CPUS=N.
	cpus=$(header "$file" cpus "${UMLAB_CPUS:-1}")
	smp_skip=
	if [ "$cpus" != 1 ]; then
		smp_skip=$(scripts/build-dir.sh "${UMLAB_LINE:-}" "${UMLAB_PROFILE:-default}" "$cpus" 2>&1 >/dev/null) &&
			boot+=(--cpus "$cpus")
	fi
	# Guest tests run in UML's time-travel mode: simulated time jumps over
	# every wait (timers, sleeps, the boot's own). TIME_TRAVEL=0 runs them
	# in real time; the results must be the same. SMP has no time travel.
	tt=${TIME_TRAVEL:-1}
	[ "$cpus" = 1 ] || tt=0
	[ "$tt" = 0 ] || [ "$(header "$file" time-travel yes)" = no ] ||
		boot+=(--append time-travel=inf-cpu)
	for a in "${kargs[@]}"; do
		[ "$tt" = 0 ] && [[ "$a" == time-travel* ]] && continue
		boot+=(--append "$a")
	done
	for a in ${APPEND:-}; do
		boot+=(--append "$a")
	done
	start=$(date +%s.%N)
	rc=0
	if [ -n "$smp_skip" ]; then
		echo "SKIP: needs $cpus CPUs: $smp_skip" >"$log"
		where=skip rc=$KSFT_SKIP
	elif [ "$tt" = 0 ] && [ "$(header "$file" time-travel yes)" = needed ]; then
		echo "SKIP: needs time travel, which $([ "$cpus" = 1 ] && echo TIME_TRAVEL=0 || echo SMP) turns off" >"$log"
		where=skip rc=$KSFT_SKIP
	fi
	for a in $(header "$file" requires ""); do
		if ! grep -q "^$a=y" "${UMLAB_BUILD:-build}/kernel/.config"; then
			echo "SKIP: needs $a, which the debug profile has: make test PROFILE=debug" >"$log"
			where=skip rc=$KSFT_SKIP
			break
		fi
	done
	# make coverage counts what the lab's modules run in guest tests
	if [ -n "${UMLAB_COVERAGE:-}" ] && [ "$where" = host ]; then
		echo "SKIP: a host test, no module coverage to count" >"$log"
		where=skip rc=$KSFT_SKIP
	fi
	# timeout's process group (its pid: the subshell execs it) is written
	# down, before timeout starts, for stop_tests
	case "$where" in
	skip) ;;
	host)
		# its own runs spread over the CPUs (run.sh), not all on this slot's
		# (one CPU for its own boots and builds, whatever make test CPUS=N
		# says: the line's uniprocessor build, as its own make takes)
		( echo "$BASHPID" >"${test_log[$name]}.pgid"
		  [ "${UMLAB_CPUS:-1}" = 1 ] ||
			UMLAB_BUILD=$(scripts/build-dir.sh "${UMLAB_LINE:-}" "${UMLAB_PROFILE:-default}" 1)
		  UMLAB_CPU='' UMLAB_CPUS=1 exec timeout -k 5 "$limit" bash "$file" >"$log" 2>&1 </dev/null ) &
		wait $! || rc=$? ;;
	guest)
		# run.sh keeps the time (past it, the guest kernel shows its
		# blocked tasks first); timeout is there should run.sh not
		( echo "$BASHPID" >"${test_log[$name]}.pgid"
		  exec timeout -k 5 $((limit + 15)) ./run.sh --timeout "$limit" "${boot[@]}" \
			-- "${guest[@]}" "${test_guest[$name]}" >"$log" 2>&1 </dev/null ) &
		wait $! || rc=$? ;;
	*)
		echo "bad '# where: $where' in $file" >"$log"
		rc=2 ;;
	esac
	rm -f "${test_log[$name]}.pgid"
	# its guest kernel's log, which tests/lib/guest-run.sh prints last
	if grep -q '^umlab-dmesg: ' "$log"; then
		sed -n 's/^umlab-dmesg: //p' "$log" | tr -d '\r' >"${test_log[$name]}.dmesg"
		sed -i '/^umlab-dmesg: /d' "$log"
	fi
	secs=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.2f", $1 - $2 }')
	echo "$rc $secs $limit" >"${test_log[$name]}.result.tmp"
	mv "${test_log[$name]}.result.tmp" "${test_log[$name]}.result"
}

# check_expected_bugs FILE LOG: for a test with "# expect-bug:" lines, 0
# when the kernel reported trouble matching every one of them, else 1 with
# what is missing written to the log.
check_expected_bugs() {
	local file=$1 log=$2 re missing=0
	if ! grep -qE '^umlab: (kernel trouble|kmemleak found)' "$log"; then
		echo "expected a kernel bug report, and none came" >>"$log"
		return 1
	fi
	while read -r re; do
		if ! grep -qE -- "$re" "$log"; then
			echo "expected in the report, but missing: $re" >>"$log"
			missing=1
		fi
	done < <(sed -n 's/^# expect-bug: *//p' "$file")
	[ "$missing" -eq 0 ] || return 1
	# the evidence of a detection, for the KTAP diagnostics
	grep -m1 -E "$(sed -n 's/^# expect-bug: *//p' "$file" | head -n 1)" "$log" |
		sed 's/^/# detected: /'
	return 0
}

# evidence: of a failed test's output (stdin), what to show. It leads
# with the first kernel report since the test started (the cause; what
# follows it is often its consequence), then for a hang the hung-task
# detector's first report (the debug profile's) and what the kernel said
# when the time was up, otherwise the last 60 lines of the output.
evidence() {
	awk -v re="$(cat tests/lib/kernel-reports.ere)" '
		function show(from, to, most) {
			for (i = from; i < to && i < from + most; i++) print l[i]
			if (i < to) print "[...]"
		}
		{ l[++n] = $0 }
		/umlab: start of / { first = 0; hung = 0 }
		/^run.sh: the guest did not finish within/ && !deadline { deadline = n }
		!deadline && !first && $0 ~ re { first = n }
		!deadline && !hung && / blocked for more than [0-9]+ seconds/ { hung = n }
		END {
			from = deadline ? deadline : (n > 60 ? n - 59 : 1)
			to = deadline ? deadline + 149 : n
			if (first && first < from)
				show(first, hung > first ? hung : from, 30)
			if (hung)
				show(hung, from, 60)
			for (i = from; i <= n && i <= to; i++) print l[i]
		}'
}

# nest_kunit LOG: the KUnit KTAP a guest test's modules printed (its
# "umlab-kunit:" lines, tests/lib/guest-run.sh), as the test's subtests:
# the suites of every module loaded, in one list, numbered in order.
nest_kunit() {
	sed -n 's/^umlab-kunit: //p' "$1" | awk '
		/^KTAP version [0-9]+$/ || /^1\.\.[0-9]+$/ { next }
		/^(not )?ok [0-9]+ / { sub(/[0-9]+/, ++n) }
		{ line[++l] = $0 }
		END {
			print "    KTAP version 1"
			print "    1.." n
			for (i = 1; i <= l; i++)
				print "    " line[i]
		}'
}

passed=0 failed=0 skipped=0
# report N: the KTAP lines of test N (1-based), once it has finished
report() {
	local i=$1 name=${names[$1 - 1]} rc secs limit result directive='' reason log
	log=${test_log[$name]}.log
	read -r rc secs limit <"${test_log[$name]}.result"
	# Module addresses in reports, resolved (tests/lib/resolve.sh)
	if [ "$rc" -ne 0 ] && grep -q '^umlab-module ' "$log"; then
		UMLAB_SHARE=$share tests/lib/resolve.sh "$log" >"$log.resolved" && mv "$log.resolved" "$log"
	fi
	# (a test past its time fails as such, whatever it reported before)
	if grep -q '^# expect-bug: ' "${test_file[$name]}" && [ "$rc" -ne "$KSFT_SKIP" ] &&
		[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ]; then
		if check_expected_bugs "${test_file[$name]}" "$log"; then rc=0; else rc=1; fi
	fi
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
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			directive=" # TIMEOUT after ${limit}s"
		fi
		failed=$((failed + 1))
		# The evidence: the test's output, module frames decoded to
		# their source lines (tests/lib/decode.sh), as KTAP diagnostics:
		# its end, or for a hang, from what the kernel said about it on.
		tr -d '\r' <"$log" | { grep -v '^umlab-kunit: ' || true; } | evidence |
			tests/lib/decode.sh "$share" | sed 's/^/# /'
	fi
	if grep -q '^umlab-kunit: ' "$log"; then
		tr -d '\r' <"$log" >"$log.tmp" && nest_kunit "$log.tmp"
		rm -f "$log.tmp"
	fi
	if [ "${V:-0}" = 1 ] && [ "$result" = ok ]; then
		tr -d '\r' <"$log" | { grep -v '^umlab-kunit: ' || true; } | sed 's/^/# /'
	fi
	echo "# $name: ${secs}s"
	echo "$result $i $name$directive"
}

# Tests run JOBS at a time, each in its own UML instance with its own
# copy-on-write layer; results are printed in test order all the same.
jobs=${JOBS:-$(nproc)}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "JOBS=$jobs is not a positive number"
# The lab must be able to run here at all: else one "Bail out!" with the
# reason, not every test failed for it (run.sh --check: no kernel, no
# ptrace, a temporary directory that is noexec or full)
if ! why=$(./run.sh --check 2>&1 </dev/null); then
	say "KTAP version 1" "Bail out! ${why#run.sh: }"
	results 3
fi
say "KTAP version 1" "1..${#names[@]}"
running=0 next=1 printed=0
flush() {
	while [ "$printed" -lt "${#names[@]}" ] &&
		[ -f "${test_log[${names[$printed]}]}.result" ]; do
		printed=$((printed + 1))
		report "$printed" >"$logdir/.report"
		say "$(cat "$logdir/.report")"
	done
}
# Each job slot is one host CPU for the UML instances started in it
# (run.sh pins a run to UMLAB_CPU).
slot_pid=()
free_slot() {
	local i
	for ((i = 0; i < jobs; i++)); do
		if [ -z "${slot_pid[i]:-}" ] || ! kill -0 "${slot_pid[i]}" 2>/dev/null; then
			echo "$i"
			return
		fi
	done
	echo 0
}
while [ "$printed" -lt "${#names[@]}" ]; do
	if [ "$next" -le "${#names[@]}" ] && [ "$running" -lt "$jobs" ]; then
		slot=$(free_slot)
		UMLAB_CPU=$slot run_one "${order[$next - 1]}" &
		slot_pid[slot]=$!
		next=$((next + 1))
		running=$((running + 1))
		continue
	fi
	if [ "$running" -eq 0 ]; then
		die "internal error: no test running, ${names[$printed]} has no result"
	fi
	wait -n || true
	running=$((running - 1))
	flush
done

rm -f "$logdir/.report"
say "# logs: ${logdir#"$top"/}/"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || results 1
results 0
