#!/usr/bin/env bash
# where: host
# timeout: 400
# make test M=DIR KERNEL="6.12 7.3": one module directory built and tested
# on every kernel line in turn (scripts/each-kernel.sh), with a table of
# the results per line at the end, and an exit status that fails if any
# line failed; switching lines rebuilds nothing that is up to date. Needs every line's kernel built (make KERNEL=LINE) in this
# test's profile: building one here would take the suite's time.
set -u
fail() { echo "FAIL: $*"; exit 1; }

read -ra lines < <(scripts/build-dir.sh --lines)
for line in "${lines[@]}"; do
	b=$(scripts/build-dir.sh "$line" "${UMLAB_PROFILE:-default}")
	[ -x "$b/kernel/linux" ] || {
		echo "SKIP: no $line kernel in $b: make KERNEL=$line$([ "${UMLAB_PROFILE:-default}" = default ] || echo " PROFILE=$UMLAB_PROFILE") first"
		exit 4
	}
done

. tests/lib/outside.sh
work=$(outside_dir) || fail "no directory outside the project"
trap 'rm -rf "$work"' EXIT
cp -r tests/extmod/shout "$work/shout"
# a script that fails on one line only, as a module's test of an API that
# changed would
cat >"$work/shout/line.sh" <<'EOS'
#!/bin/sh
# passes on 6.x only
case "$(uname -r)" in 6.*) echo "line.sh: passes on $(uname -r)" ;; *) echo "line.sh: fails on $(uname -r)"; exit 1 ;; esac
EOS
each() { labmake test M="$work/shout" KERNEL="${lines[*]}" "$@" 2>&1; }

out=$(each T=check.sh)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || fail "make test KERNEL=\"${lines[*]}\" exited $rc with every line passing"
echo "$out" | grep -q "^=== results by kernel line" || fail "no table of results"
for line in "${lines[@]}"; do
	echo "$out" | grep -qE "^  $line +ok +1 passed, 0 failed, 0 skipped$" ||
		fail "no 'ok' row for $line in the table"
	# (built for each line in turn: extmod.sh checks each .ko's vermagic)
	echo "$out" | grep -q "=== KERNEL=$line make test" || fail "no run for $line"
done

out=$(each T=line.sh)
rc=$?
echo "$out"
[ "$rc" -ne 0 ] || fail "a line's failure gave exit status 0"
echo "$out" | grep -qE "^  6\.12 +ok +1 passed, 0 failed, 0 skipped$" || fail "6.12's row is not ok"
echo "$out" | grep -qE "^  7\.3 +FAILED +0 passed, 1 failed, 0 skipped \(make: exit status [0-9]+\)$" ||
	fail "7.3's row does not say FAILED with its summary"
echo "ok: one module directory tested on ${lines[*]}, a row per line, failures counted"

# back and forth between the lines: nothing up to date is made again
for line in "${lines[@]}" "${lines[@]}"; do
	out=$(labmake KERNEL="$line" all 2>&1)
	[ -z "$out" ] || fail "make KERNEL=$line all, after the other line's, did work: $out"
	[ "$(readlink linux)" = "$(scripts/build-dir.sh "$line")/kernel/linux" ] ||
		[ "${UMLAB_PROFILE:-default}" != default ] ||
		fail "./linux is not $line's kernel after make KERNEL=$line"
done
echo "ok: switching between ${lines[*]} rebuilds nothing; ./linux follows"
