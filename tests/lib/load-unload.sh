#!/bin/sh
# timeout: 120
# The lab's test for a module directory that brings none of its own
# (make test M=DIR): load each .ko under the working directory and unload
# it again, in name order. A module fails when insmod or rmmod does, or
# when it is still loaded afterwards; the runner around this catches
# oopses, warnings and taint. A module whose init says the machine lacks
# what it drives (ENOSYS, ENODEV, ENXIO, EOPNOTSUPP: GPIO, a device UML
# does not have) is counted apart, not failed. Prints one line per module
# and a summary.
# shellcheck source=tests/lib/module.sh
. /lab/tests/lib/module.sh

kos=$(find . -name .git -prune -o -name '*.ko' -type f -print | sort)

# deps KO: the modules KO needs loaded first (modinfo's depends=), as
# .ko files of this directory
deps() {
	for dep in $(tr '\0' '\n' < "$1" | sed -n 's/^depends=//p' | tr , ' '); do
		for k in $kos; do
			case "$(echo "${k##*/}" | tr - _)" in
			"$(echo "$dep" | tr - _).ko") echo "$k" ;;
			esac
		done
	done
}

unload_deps() { for d in $loaded_deps; do rmmod "$d" 2>&1 || return; done; }

passed=0 failed=0 declined=0
for ko in $kos; do
	name=${ko##*/}
	name=$(echo "${name%.ko}" | tr - _)
	# what it depends on goes in first and out after it, as modprobe does
	loaded_deps=
	for dep in $(deps "$ko"); do
		dname=${dep##*/}
		dname=$(echo "${dname%.ko}" | tr - _)
		[ -e "/sys/module/$dname" ] && continue
		load_ko "$dep" >/dev/null 2>&1 && loaded_deps="$dname $loaded_deps"
	done
	if ! out=$(load_ko "$ko" 2>&1); then
		unload_deps
		case "$out" in
		*"does not support requested operation"* | *"No such device"* | \
		*"Operation not supported"*)
			echo "declined: ${ko#./}: $out"
			declined=$((declined + 1)) ;;
		*)
			echo "not ok: ${ko#./}: $out"
			failed=$((failed + 1)) ;;
		esac
		continue
	fi
	echo "$out"
	if ! out=$(rmmod "$name" 2>&1) || ! out=$(unload_deps); then
		echo "not ok: ${ko#./}: loaded, but unloading failed: $out"
		failed=$((failed + 1))
	elif [ -e "/sys/module/$name" ]; then
		echo "not ok: ${ko#./}: still in /sys/module after rmmod"
		failed=$((failed + 1))
	else
		echo "ok: ${ko#./}"
		passed=$((passed + 1))
	fi
done
[ $((passed + failed + declined)) -gt 0 ] || fail "no .ko file under $PWD"
echo "$passed loaded and unloaded, $failed failed, $declined declined to load here"
[ "$failed" -eq 0 ]
