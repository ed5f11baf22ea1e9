#!/usr/bin/env bash
# A module repository's CI job in one command (docs/ci.md): what is
# missing installed, the lab built, the module built against it and its
# tests run, each in a fresh UML instance; KTAP on stdout, and in RESULTS
# (default ./umlab-results): results.xml (JUnit), results.json (the
# kernel's kunit.py JSON), results.ktap, and logs/ with every test's
# output and kernel log.
#
# usage: path/to/umlab/scripts/ci.sh [MODULE_DIR] [VAR=VALUE...]
#   MODULE_DIR   the module's directory (default: the current one)
#   VAR=VALUE    make's variables: KERNEL=, PROFILE=, CPUS=, T=, JOBS=,
#                APPEND=, BUILD=; RESULTS=DIR for the results
#
# Exit status: 0 every test passed (or was skipped); 1 a test failed, or
# the module did not build (KTAP "not ok"); 2 a usage error; 3 the lab
# cannot build or run on this machine (KTAP "Bail out!", the reason with
# it): not the module's fault, retry elsewhere. TERM, INT or HUP stops it
# all, leaving no process and no run directory.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
die() { printf 'ci.sh: %s\n' "$*" >&2; exit 2; }

mod=. results=umlab-results
vars=()
for a in "$@"; do
	case "$a" in
	RESULTS=*) results=${a#RESULTS=} ;;
	M=*) die "give the module directory as the first argument, not $a" ;;
	[A-Z]*=*) vars+=("$a") ;;
	-h | --help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	-*) die "unknown option '$a'" ;;
	*) mod=$a ;;
	esac
done
[ -d "$mod" ] || die "no module directory $mod"
mod=$(cd "$mod" && pwd)
mkdir -p "$results" || die "cannot make $results"
results=$(cd "$results" && pwd)
# (the runner refuses a log directory with files of others in it)
rm -rf "$results/logs" "$results/results.ktap" "$results/results.xml" "$results/results.json"
ktap=$results/results.ktap

# lab MAKE-ARGS...: the make of this job. TERM, INT or HUP to this script
# pass on to it as TERM (make passes TERM on to what it runs, the runner
# stops every test), and this script ends by the signal once make is gone.
stopped=
lab() {
	local pid rc=0
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top" --no-print-directory \
		"${vars[@]}" "$@" </dev/null &
	pid=$!
	trap 'stopped=143; kill -TERM "$pid" 2>/dev/null' TERM
	trap 'stopped=130; kill -TERM "$pid" 2>/dev/null' INT
	trap 'stopped=129; kill -TERM "$pid" 2>/dev/null' HUP
	wait "$pid" || rc=$?
	# a signal ends the wait, not make: wait for make too
	while kill -0 "$pid" 2>/dev/null; do wait "$pid" || rc=$?; done
	trap - TERM INT HUP
	[ -z "$stopped" ] || exit "$stopped"
	return "$rc"
}

# finish STATUS: JUnit and JSON from the KTAP written so far, then exit
finish() {
	local kunit
	"$top/tests/lib/junit.sh" "$ktap" "$results/logs" >"$results/results.xml"
	for kunit in "$top"/build/linux-source-*/tools/testing/kunit/kunit.py; do
		[ -f "$kunit" ] || continue
		python3 "$kunit" parse --json="$results/results.json" <"$ktap" >/dev/null 2>&1 || true
		break
	done
	echo "ci.sh: results in $results" >&2
	exit "$1"
}

# bail REASON: the lab cannot work here
bail() {
	printf 'KTAP version 1\nBail out! %s\n' "$1" | tee "$ktap"
	finish 3
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT
step() {	# step WHAT MAKE-ARGS...: a make step, its output shown and kept
	local what=$1 rc=0
	shift
	echo "ci.sh: $what" >&2
	lab "$@" > >(tee "$out" >&2) 2>&1 || rc=$?
	wait $! 2>/dev/null || true	# tee, to the last line
	return "$rc"
}

step "packages the lab needs" deps ||
	bail "cannot install the packages the lab needs: $(tail -n 1 "$out")"
step "the lab: kernel, rootfs, programs" all ||
	bail "the lab did not build: $(grep -m 1 -iE 'error|cannot' "$out" || tail -n 1 "$out")"
if ! step "the module in $mod" extmod M="$mod"; then
	{
		echo "KTAP version 1"
		echo "1..1"
		sed 's/^/# /' "$out"
		echo "not ok 1 build"
	} | tee "$ktap"
	finish 1
fi

rc=0
lab test M="$mod" JUNIT="$results/results.xml" JSON="$results/results.json" \
	LOG_DIR="$results/logs" || rc=$?
cp "$results/logs/results.ktap" "$ktap" 2>/dev/null || true
if grep -q '^Bail out!' "$ktap" 2>/dev/null; then
	exit 3
elif ! grep -qE '^(not )?ok [0-9]+ ' "$ktap" 2>/dev/null; then
	# the runner did not get to run a test (signal, or make failed first)
	[ "$rc" -gt 128 ] && exit "$rc"
	bail "make test M=$mod ended (status $rc) before any test ran"
elif grep -q '^not ok ' "$ktap"; then
	exit 1
fi
[ "$rc" -eq 0 ] || exit 1
echo "ci.sh: results in $results" >&2
