#!/bin/sh
# timeout: 120
# The lab's test for a module directory that brings none of its own
# (make test M=DIR): load each .ko under the working directory and unload
# it again, in name order. A module fails when insmod or rmmod does, or
# when it is still loaded afterwards; the runner around this catches
# oopses, warnings and taint. Prints one line per module and a summary.
# shellcheck source=tests/lib/module.sh
. /lab/tests/lib/module.sh

passed=0 failed=0
for ko in $(find . -name .git -prune -o -name '*.ko' -type f -print | sort); do
	name=${ko##*/}
	name=$(echo "${name%.ko}" | tr - _)
	if ! out=$(load_ko "$ko" 2>&1); then
		echo "not ok: ${ko#./}: $out"
		failed=$((failed + 1))
		continue
	fi
	echo "$out"
	if ! out=$(rmmod "$name" 2>&1); then
		echo "not ok: ${ko#./}: loaded, but rmmod $name failed: $out"
		failed=$((failed + 1))
	elif [ -e "/sys/module/$name" ]; then
		echo "not ok: ${ko#./}: still in /sys/module after rmmod"
		failed=$((failed + 1))
	else
		echo "ok: ${ko#./}"
		passed=$((passed + 1))
	fi
done
[ $((passed + failed)) -gt 0 ] || fail "no .ko file under $PWD"
echo "$passed loaded and unloaded, $failed failed"
[ "$failed" -eq 0 ]
