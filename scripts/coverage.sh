#!/usr/bin/env bash
# make coverage: run the tests with the gcov-built modules, then add up
# the counters every test left and report line and branch coverage per
# source file: a table on stdout, HTML in COVDIR/html (lcov's genhtml),
# the merged data in COVDIR/coverage.info.
#
# usage: scripts/coverage.sh COVDIR [--share DIR] [T...]
# COVDIR/modules holds the lab's modules built with GCOV_PROFILE=y (make
# builds them); with --share, DIR was built with gcov in place.
# Each test's counters come back in COVDIR/runs/NAME/ at the path the
# object was built at (tests/lib/guest-run.sh --coverage); gcov-tool adds
# them up, lcov turns them into coverage.info.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
die() { printf 'coverage: %s\n' "$*" >&2; exit 2; }

[ $# -ge 1 ] || die "usage: $0 COVDIR [--share DIR] [T...]"
covdir=$1
shift
for tool in lcov genhtml gcov-tool; do
	command -v "$tool" >/dev/null || die "$tool is missing (make deps installs lcov; gcov-tool comes with gcc)"
done

# Counters start from zero for each make coverage.
rm -rf "$covdir/runs" "$covdir/merged" "$covdir/html" "$covdir/coverage.info"
mkdir -p "$covdir/runs"

set +e
UMLAB_COVERAGE=$covdir UMLAB_LOG_DIR=${UMLAB_LOG_DIR:-$top/${UMLAB_BUILD:-build}/tests/coverage} \
	tests/lib/run-tests.sh "$@"
tests_rc=$?
set -e

# Add up the runs: gcov-tool merges two profile trees into a third.
merged=$covdir/merged
for run in "$covdir"/runs/*/; do
	[ -d "$run" ] || continue
	if [ ! -d "$merged" ]; then
		cp -r "$run" "$merged"
	else
		gcov-tool merge -o "$merged.new" "$run" "$merged" >/dev/null
		rm -rf "$merged"
		mv "$merged.new" "$merged"
	fi
done
if [ ! -d "$merged" ] || [ -z "$(find "$merged" -name '*.gcda' -print -quit)" ]; then
	echo "coverage: the tests loaded no module built with gcov: no coverage to report" >&2
	exit $((tests_rc ? tests_rc : 1))
fi

# lcov wants each .gcda next to its .gcno: link those in from where the
# objects were built (the tree under merged/ mirrors those paths).
while read -r gcda; do
	src=/${gcda#"$merged"/}
	ln -sf "${src%.gcda}.gcno" "${gcda%.gcda}.gcno"
done < <(find "$merged" -name '*.gcda')

lcov_rc=(--rc lcov_branch_coverage=1)
lcov -q "${lcov_rc[@]}" --capture --directory "$merged" \
	--output-file "$covdir/raw.info" 2>"$covdir/lcov.log" ||
	die "lcov --capture failed, see $covdir/lcov.log"
# Name the sources as the user knows them: modules/ksort/ksort.c rather
# than the symlink in the build directory, and only the module's own
# (no kernel headers).
while IFS= read -r line; do
	case "$line" in
	SF:*) f=$(realpath -e "${line#SF:}" 2>/dev/null || echo "${line#SF:}")
		echo "SF:${f#"$top"/}" ;;
	*) echo "$line" ;;
	esac
done <"$covdir/raw.info" >"$covdir/named.info"
lcov -q "${lcov_rc[@]}" --remove "$covdir/named.info" '*/include/*' '*/arch/*' \
	'*.h' --output-file "$covdir/coverage.info" 2>>"$covdir/lcov.log" ||
	die "lcov --remove failed, see $covdir/lcov.log"
rm -f "$covdir/raw.info" "$covdir/named.info"
genhtml -q "${lcov_rc[@]}" --branch-coverage --legend --prefix "$top" \
	--title "umlab make coverage" --output-directory "$covdir/html" \
	"$covdir/coverage.info" >>"$covdir/lcov.log" 2>&1 ||
	die "genhtml failed, see $covdir/lcov.log"

# The summary: per file, lines and branches run / there.
awk '
function pct(h, f) { return f ? sprintf("%5.1f%%", 100 * h / f) : "    -" }
function row(name, lh, lf, bh, bf) {
	printf "  %-38s %5d/%-5d %s   %4d/%-4d %s\n", name, lh, lf, pct(lh, lf), bh, bf, pct(bh, bf)
}
BEGIN { printf "  %-38s %-18s   %s\n", "file", "lines", "branches" }
/^SF:/ { sf = substr($0, 4); lf = lh = bf = bh = 0 }
/^LF:/ { lf = substr($0, 4) } /^LH:/ { lh = substr($0, 4) }
/^BRF:/ { bf = substr($0, 5) } /^BRH:/ { bh = substr($0, 5) }
/^end_of_record/ {
	row(sf, lh, lf, bh, bf)
	tlf += lf; tlh += lh; tbf += bf; tbh += bh
}
END { row("total", tlh, tlf, tbh, tbf) }' "$covdir/coverage.info"
echo "# report: ${covdir#"$top"/}/html/index.html"
exit "$tests_rc"
