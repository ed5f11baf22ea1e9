#!/usr/bin/env bash
# where: host
# timeout: 120
# make coverage, on a module whose coverage is known (tests/coverage/
# covdemo: its lines say how often they run): the report shows exactly the
# lines and branches that ran, with their counts; the counters of tests
# run side by side add up; each make coverage starts from zero; and a lab
# module (T=hello) gets its report too, HTML included.
set -u
fail() { echo "FAIL: $*"; exit 1; }

covdir=${UMLAB_BUILD:-build}/coverage
. tests/lib/outside.sh
work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$work"' EXIT
cp -r tests/coverage/covdemo "$work/covdemo"
mod=$work/covdemo

# check TIMES: the report's counts are TIMES the marks in covdemo.c
check() {
	local times=$1
	awk -v times="$times" -v info="$covdir/coverage.info" '
	BEGIN {
		while ((getline l < info) > 0) {
			if (l ~ /^SF:.*covdemo\.c$/) mine = 1
			else if (l ~ /^SF:/) mine = 0
			if (!mine) continue
			if (l ~ /^DA:/) { split(substr(l, 4), f, ","); da[f[1]] = f[2] }
			if (l ~ /^BRDA:/) { split(substr(l, 6), f, ","); br[f[1]] = br[f[1]] " " f[4] }
		}
	}
	/cov: [0-9]+ \*\// {
		want = $0; sub(/.*cov: /, "", want); sub(/ .*/, "", want); want *= times
		if (!(FNR in da)) { printf "line %d: not in the report\n", FNR; bad = 1 }
		else if (da[FNR] != want) { printf "line %d: ran %s times, want %s\n", FNR, da[FNR], want; bad = 1 }
		marked[FNR] = 1
	}
	/branches: [0-9 ]+ \*\// {
		s = $0; sub(/.*branches: /, "", s); sub(/ \*\/.*/, "", s)
		n = split(s, w, " "); want = ""
		for (i = 1; i <= n; i++) want = want " " w[i] * times
		if (br[FNR] != want) { printf "line %d: branches taken%s, want%s\n", FNR, br[FNR], want; bad = 1 }
	}
	{ text[FNR] = $0 }
	END {
		# any other line that never ran must be a function header or brace
		for (l in da)
			if (da[l] == 0 && !(l in marked) && text[l] !~ /^(static |})/) {
				printf "line %d did not run, and is not marked so: %s\n", l, text[l]; bad = 1
			}
		exit bad
	}' tests/coverage/covdemo/covdemo.c
}

# M=DIR counts DIR's modules only: no lab module is built with gcov for it
rm -f "$covdir/modules/hello/.built"
labmake -n coverage M="$mod" T=umlab-test.sh | grep -q 'build-module.sh .*GCOV_PROFILE=y' &&
	fail "make coverage M=DIR would build the lab's modules with gcov"

out=$(labmake coverage M="$mod" T=umlab-test.sh 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "make coverage M=... T=umlab-test.sh exited $rc"
echo "$out" | grep -qE "^  $mod/covdemo.c +[0-9]+/[0-9]+ +[0-9.]+% +[0-9]+/[0-9]+ +[0-9.]+%$" ||
	fail "no summary line for covdemo.c"
check 1 || fail "the report is not what covdemo.c says (one run)"
echo "ok: one run: every marked line and branch with its count"

# Both of its tests, side by side: twice the counts, not three times.
out=$(labmake coverage M="$mod" JOBS=2 2>&1)
echo "$out" | grep -E '^(ok|not ok) '
{ echo "$out" | grep -qx 'ok 1 umlab-test' && echo "$out" | grep -qx 'ok 2 tests/again'; } ||
	fail "covdemo's two tests did not both pass: $out"
check 2 || fail "the counts of two runs side by side do not add up"
echo "ok: two tests side by side add up, from zero again"

# A lab module, and the HTML report.
out=$(labmake coverage T=hello 2>&1)
rc=$?
echo "$out" | tail -n 4
[ "$rc" -eq 0 ] || fail "make coverage T=hello exited $rc"
echo "$out" | grep -qE '^  modules/hello/hello.c +[0-9]+/' || fail "no line for modules/hello/hello.c"
html=$covdir/html/modules/hello/hello.c.gcov.html
[ -f "$html" ] || fail "no HTML page for hello.c"
# hello's test loads it with times=0: the range check's error line ran
# (twice: busybox's insmod calls init_module(2) again when finit_module(2)
# fails, so a failing init runs twice)
line=$(grep -n 'pr_err("times=%d is out of range' modules/hello/hello.c | cut -d: -f1)
grep -q "^DA:$line,2$" "$covdir/coverage.info" || fail "hello.c:$line (times out of range) did not run twice"
echo "ok: make coverage T=hello, with HTML"
echo "coverage ok"
