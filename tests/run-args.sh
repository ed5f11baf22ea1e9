#!/usr/bin/env bash
# where: host
# timeout: 120
# What run.sh makes of its arguments: --kernel boots the line named (each
# line built in this profile is tried) or refuses it; GDB_ARGS split into words as a shell
# would, with nothing in it run; the kernel command line counted whole
# (command, --append, --share) and refused past UML's limit in one line,
# while a line just at the limit boots; --share refused past hostfs's
# limit of directories; and gdb's own `run` (run.sh --print-args) keeps
# its run's directory locked from start to end, so that another run's
# sweep never takes it.
set -u
fail() { echo "FAIL: $*"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/dev/shm}/umlab-run-args.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR"

# refused WANT ARGS...: run.sh ARGS must exit 2 before boot, in one line
# holding WANT
refused() {
	local want=$1 err rc
	shift
	err=$(timeout 30 ./run.sh "$@" 2>&1)
	rc=$?
	{ [ "$rc" -eq 2 ] && [[ "$err" == *"$want"* ]] && [ "$(echo "$err" | wc -l)" -eq 1 ]; } ||
		fail "run.sh $(echo "$*" | cut -c1-80)...: status $rc and '$err', want 2 and '$want'"
	echo "ok: refused: $(echo "$err" | cut -c1-160)"
}

# --- --kernel: a line the lab builds, or a one-line refusal ---
refused "kernel line '7.2' is not one the lab builds" --kernel 7.2 -- true
refused "--kernel needs a kernel line" --kernel
# --cpus: an SMP build, which 6.12's UML cannot have
refused "Linux 6.12's UML has one CPU (no SMP): for CPUS=2 use KERNEL=7.3" --kernel 6.12 --cpus 2 -- true
refused "CPUS=two is not a number of CPUs" --cpus two -- true
for line in $(scripts/build-dir.sh --lines); do
	b=$(scripts/build-dir.sh "$line" "${UMLAB_PROFILE:-default}")
	if [ -x "$b/kernel/linux" ]; then
		# make's choice (UMLAB_BUILD) gives way to the line named
		out=$(timeout 30 ./run.sh --kernel "$line" -- uname -r 2>&1 | tr -d '\r')
		[ "$out" = "$(cat "$b/kernel/include/config/kernel.release")" ] ||
			fail "./run.sh --kernel $line booted '$out'"
		echo "ok: --kernel $line boots $out"
	fi
done

# --- GDB_ARGS ---
# shellcheck disable=SC2016 # none of it may be expanded, by anyone
args='-batch -ex "echo $(touch '"$work"'/ran) `touch '"$work"'/ran` $HOME\n" -ex '"'echo two words\\n'"
out=$(GDB_ARGS=$args timeout 60 ./run.sh --gdb -- true 2>&1)
[ ! -e "$work/ran" ] || fail "GDB_ARGS ran a command substitution"
# shellcheck disable=SC2016 # the text gdb must echo
[[ "$out" == *'$(touch '"$work"'/ran) `touch '"$work"'/ran` $HOME'* ]] ||
	fail "GDB_ARGS did not reach gdb as written: $out"
[[ "$out" == *"two words"* ]] || fail "a quoted GDB_ARGS word was split: $out"
echo "ok: GDB_ARGS split as a shell splits words, nothing in it run"
GDB_ARGS='-ex "echo unbalanced' refused "GDB_ARGS: No closing quotation" --gdb -- true

# --- the kernel command line ---
pad() { head -c "$1" /dev/zero | tr '\0' x; }
# the x= argument's length as the guest kernel got it (7.3 leaves the
# arguments UML itself took, mem= and the like, out of /proc/cmdline)
probe='tr " " "\n" </proc/cmdline | sed -n "s/^x=//p" | wc -c'
# how long the line is with a 5000-byte --append, from run.sh's own count
err=$(./run.sh --append "x=$(pad 5000)" -- sh -c "$probe" 2>&1)
[[ "$err" == *"past UML's limit of 4095"* ]] || fail "a 5000-byte --append: $err"
n=${err#*would be } n=${n%% bytes*}
fit=$((5000 - (n - 4095)))
out=$(./run.sh --append "x=$(pad "$fit")" -- sh -c "$probe" 2>&1)
[ "$out" = $((fit + 1)) ] || fail "a command line of 4095 bytes should boot, its x= argument whole ($fit bytes): $out"
echo "ok: a kernel command line of exactly 4095 bytes boots, whole"
refused "the kernel command line would be 4096 bytes, past UML's limit of 4095" \
	--append "x=$(pad $((fit + 1)))" -- sh -c "$probe"
# shares count too (hostfs= and umlab.share= name each)
long=$work/$(pad 200)
shares=()
for i in $(seq 8); do
	mkdir -p "$long$i"
	shares+=(--share "$long$i")
done
refused "past UML's limit of 4095" "${shares[@]}" -- true
refused "past UML's limit of 4095" -- printf '%s' "$(pad 2100)"

# --- hostfs's limit of shared directories ---
max=$(sed -n 's/^#define HOSTFS_MAX_ROOTS \([0-9]*\).*/\1/p' "$UMLAB_BUILD/kernel/source/fs/hostfs/hostfs_kern.c")
[ -n "$max" ] || fail "no HOSTFS_MAX_ROOTS in the kernel's hostfs (the lab's patch)"
shares=()
for i in $(seq "$max"); do
	mkdir -p "$work/s/d$i"
	echo "$i" >"$work/s/d$i/f"
	shares+=(--share "$work/s/d$i")
done
# the project and max - 1 shares: every one mounted
out=$(./run.sh "${shares[@]:0:$((2 * max - 2))}" -- sh -c 'cat /share/d*/f | sort -n | tail -n 1' 2>&1)
[ "$out" = $((max - 1)) ] || fail "with $((max - 1)) --share, the last one did not show: $out"
echo "ok: $((max - 1)) --share, all there"
refused "too many shared directories; hostfs takes $max" "${shares[@]}" -- true

# --- gdb's `run`: the run's directory stays locked ---
# run.sh --print-args FD: the caller reads the arguments to their end;
# run.sh holds the lock until FD is closed, then removes the directory.
mkfifo "$work/hold"
exec {hold}<>"$work/hold"
mapfile -t lines < <(./run.sh --gdb --print-args 3 3<"$work/hold" {hold}>&-)
dir=${lines[0]:-}
{ [[ "$dir" == "$TMPDIR"/umlab.* ]] && [ -d "$dir" ]; } || fail "run.sh --print-args printed no run directory: ${lines[*]}"
./run.sh -- true || fail "a run beside the prepared one failed"
[ -d "$dir" ] || fail "another run swept the prepared run's directory"
flock -n "$dir/lock" true && fail "the prepared run's directory is not locked"
exec {hold}>&-
for _ in $(seq 50); do [ -d "$dir" ] || break; sleep 0.1; done
[ ! -d "$dir" ] || fail "the prepared run's directory stayed after its end"
echo "ok: run.sh --print-args holds its run's lock until the caller's end"

# The same through gdb's own `run` (scripts/gdb/umlab.py).
if command -v gdb >/dev/null; then
	cat >"$work/run.gdb" <<'EOF'
break kernel_init
run
python
import os, subprocess
d = gdb.convenience_variable("umlab_rundir").string()
subprocess.run(["./run.sh", "--", "true"], check=True, stdin=subprocess.DEVNULL)
locked = subprocess.run(["flock", "-n", d + "/lock", "true"]).returncode != 0
print("DURING %s %s" % (os.path.isdir(d), locked))
end
delete
continue
python print("AFTER %s" % os.path.isdir(d))
EOF
	out=$(timeout 60 gdb -q -batch -iex 'set auto-load local-gdbinit off' -x scripts/gdb/umlab.py \
		-x "$work/run.gdb" "${UMLAB_BUILD:-build}/kernel/linux" </dev/null 2>&1)
	{ grep -qx 'DURING True True' <<<"$out" && grep -qx 'AFTER False' <<<"$out"; } ||
		fail "gdb's run: the directory was not kept, locked, and removed after: $out"
	echo "ok: gdb's run keeps its run's directory locked, and removes it after"
fi

sleep 0.2
left=$(ls -A "$TMPDIR")
[ -z "$left" ] || fail "runs left files behind: $left"
echo "run-args ok"
