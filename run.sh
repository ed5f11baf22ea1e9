#!/usr/bin/env bash
# Boot the umlab guest: the UML kernel in build/kernel with the busybox
# rootfs behind a throw-away copy-on-write layer, this directory at /lab
# and each directory given with --share at /share/NAME.
#
#   ./run.sh                  interactive root shell (Ctrl-D or poweroff ends it)
#   echo 'uname -r' | ./run.sh   commands from stdin, power off at EOF
#   ./run.sh -- CMD ARGS...   run CMD in /lab, exit with its status (stdin
#                             that is not a terminal is CMD's, as it comes)
#   ./run.sh --gdb [-- CMD]   the same boot under gdb, with the lab's setup
#
# Run ./run.sh --help for the options.
set -euo pipefail

top=$(cd "${0%/*}" && pwd)
# the kernel line, when --kernel or KERNEL names one (or make, for a test
# that asks for CPUs), the profile, virtual CPUs
line=${KERNEL:-${UMLAB_LINE:-}}
profile=${PROFILE:-${UMLAB_PROFILE:-default}}
ncpus=${CPUS:-}
rootfs=${UMLAB_ROOTFS:-$top/build/rootfs.ext4}
mem=${MEM:-256M}
append=()
verbose=0
build_from_line=0
gdb=0
check=0
print_args=0
hold_fd=
limit=
timer_pid=
cmd=()
shares=()

usage() {
	cat <<EOF
usage: ./run.sh [OPTIONS] [-- CMD [ARGS...]]

Boots the lab guest (User-Mode Linux) with the project directory at /lab.
  no CMD, stdin a terminal   interactive root shell; poweroff or Ctrl-D ends it
  no CMD, stdin not a tty    reads commands from stdin, powers off at EOF
  -- CMD ARGS...             runs CMD in /lab, prints its output and exits
                             with its status; stdin that is not a terminal
                             is CMD's, passed on as CMD reads it

options:
  -k, --kernel LINE     the kernel line to boot: $("$top/scripts/build-dir.sh" --lines)
                        (the first is the default; also KERNEL=LINE)
  -c, --cpus N          N virtual CPUs: an SMP build of the line (7.3;
                        made by make KERNEL=7.3 CPUS=N), on UML's seccomp
                        userspace, without time travel (also CPUS=N)
  -m, --mem SIZE        guest memory (default $mem; also MEM=SIZE)
  -a, --append ARG      extra kernel command line argument (repeatable),
                        e.g. --append time-travel=inf-cpu
  -s, --share DIR[:AT]  show host directory DIR in the guest, read-write, at
                        AT (default /share/NAME, NAME: DIR's last
                        component); repeatable
  -n, --no-stdin        leave stdin alone: the guest reads /dev/null (as
                        ssh -n), e.g. in a loop that reads stdin itself
  -t, --timeout SECS    past SECS, show what the guest's kernel is doing
                        (its blocked tasks with their stacks; the locks
                        held, with lockdep), then stop it: status 124
  -v, --verbose         show the kernel's boot messages
  -g, --gdb             run UML under gdb with the lab's setup (module
                        symbols load by themselves); more gdb arguments
                        come from GDB_ARGS, split into words as a shell
                        would (quotes, backslashes; nothing is expanded
                        or run), e.g. GDB_ARGS='-batch -x my.gdb'. Ctrl-C
                        stops in gdb.
  --check               boot nothing: say whether this host can run the
                        lab (the kernel built, ptrace allowed, a temporary
                        directory that allows exec with room for the
                        memory); status 0 if so, else 2 and the reason
  -h, --help            this text

PROFILE=debug ./run.sh boots the debug profile's kernel (made by make
PROFILE=debug; with --kernel 7.3, by make KERNEL=7.3 PROFILE=debug).

A guest that panics or a UML process that is killed gives a non-zero exit
status and a one-line reason on stderr.
EOF
}

die() { printf 'run.sh: %s\n' "$*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case "$1" in
	-k | --kernel) [ $# -ge 2 ] || die "$1 needs a kernel line"; line=$2 build_from_line=1; shift 2 ;;
	--kernel=*) line=${1#*=} build_from_line=1; shift ;;
	-c | --cpus) [ $# -ge 2 ] || die "$1 needs a number of CPUs"; ncpus=$2 build_from_line=1; shift 2 ;;
	--cpus=*) ncpus=${1#*=} build_from_line=1; shift ;;
	-m | --mem) [ $# -ge 2 ] || die "$1 needs a size"; mem=$2; shift 2 ;;
	--mem=*) mem=${1#*=}; shift ;;
	-a | --append) [ $# -ge 2 ] || die "$1 needs an argument"; append+=("$2"); shift 2 ;;
	--append=*) append+=("${1#*=}"); shift ;;
	-s | --share) [ $# -ge 2 ] || die "$1 needs a directory"; shares+=("$2"); shift 2 ;;
	--share=*) shares+=("${1#*=}"); shift ;;
	-n | --no-stdin) exec </dev/null; shift ;;
	-t | --timeout)
		[[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a number of seconds"
		limit=$2
		shift 2 ;;
	-v | --verbose) verbose=1; shift ;;
	-g | --gdb) gdb=1; shift ;;
	--check) check=1; shift ;;
	# For scripts/gdb/umlab.py (gdb ./linux, then run): make the run's
	# directory, print it and the kernel arguments, one a line, close
	# stdout, and keep the directory locked until the caller closes its
	# end of the pipe FD (when its run ends); then remove it.
	--print-args)
		{ [[ "${2:-}" =~ ^[0-9]+$ ]] && { true <&"$2"; } 2>/dev/null; } ||
			die "--print-args needs an open descriptor, of a pipe to wait on"
		print_args=1 hold_fd=$2
		shift 2 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; cmd=("$@"); [ ${#cmd[@]} -gt 0 ] || die "-- needs a command"; break ;;
	*) die "unknown option '$1' (see ./run.sh --help)" ;;
	esac
done

# a closed stdin is an empty one
{ true <&0; } 2>/dev/null || exec </dev/null

# The build to boot: the one make chose (UMLAB_BUILD), unless --kernel
# names a line; else scripts/build-dir.sh's for KERNEL and PROFILE. The
# guest learns it too, as $UMLAB_BUILD.
if [ -n "${UMLAB_BUILD:-}" ] && [ "$build_from_line" = 0 ]; then
	build=$UMLAB_BUILD
	ncpus=${ncpus:-${UMLAB_CPUS:-1}}	# make's (make run CPUS=N)
else
	ncpus=${ncpus:-1}
	build=$("$top/scripts/build-dir.sh" "$line" "$profile" "$ncpus" 2>&1) || die "$build"
fi
kernel=${UMLAB_KERNEL:-$top/$build/kernel/linux}

[[ "$mem" =~ ^[0-9]+[KMG]?$ ]] || die "bad memory size '$mem' (e.g. 256M)"
if [ "$ncpus" != 1 ]; then
	for a in "${append[@]}"; do
		case "$a" in time-travel*) die "--cpus $ncpus: UML has no time travel with SMP (--append $a)" ;; esac
	done
fi
[ -x "$kernel" ] || die "no kernel at $kernel: run 'make${line:+ KERNEL=$line}$([ "$profile" = default ] || echo " PROFILE=$profile")$([ "$ncpus" = 1 ] || echo " CPUS=$ncpus")' first"
[ -r "$rootfs" ] || die "no rootfs at $rootfs: run 'make' first"
case "$top" in
*[,:]*) die "the project path $top contains a comma or a colon, which UML's hostfs= option cannot take" ;;
esac

# Shared directories: absolute paths, each at /share/NAME in the guest
# or where DIR:AT says.
# shellcheck source=scripts/share-dir.sh
. "$top/scripts/share-dir.sh"
hostfs_roots=$top
declare -A share_at=()

# hostfs takes HOSTFS_MAX_ROOTS directories in hostfs= (the lab's patch
# defines it, in the booted kernel's source) and ignores the rest; the
# project is the first.
hostfs_max_roots() {
	local line
	while IFS= read -r line; do
		case "$line" in "#define HOSTFS_MAX_ROOTS "[0-9]*) echo "${line##* }"; return ;; esac
	done < <(cat "${kernel%/*}/source/fs/hostfs/hostfs_kern.c" 2>/dev/null)
	echo 16
}
if [ ${#shares[@]} -gt 0 ]; then
	max_roots=$(hostfs_max_roots)
	[ ${#shares[@]} -lt "$max_roots" ] ||
		die "--share ${shares[max_roots - 1]}: too many shared directories; hostfs takes $max_roots (HOSTFS_MAX_ROOTS), the project and at most $((max_roots - 1)) --share"
fi
for i in "${!shares[@]}"; do
	dir=${shares[$i]%%:*} at=
	[ "$dir" = "${shares[$i]}" ] || at=${shares[$i]#*:}
	problem=$(share_dir_problem "$dir")
	[ -z "$problem" ] || die "--share $dir: $problem"
	dir=$(cd "$dir" && pwd)
	at=${at:-/share/${dir##*/}}
	case "$at" in
	/ | /lab | /lab/* | /proc* | /sys* | /dev* | /share) die "--share $dir:$at: the guest needs $at for itself" ;;
	/*[!A-Za-z0-9._/+@=-]*) die "--share $dir:$at: use a plain path (letters, digits, ._+@=-) to mount at" ;;
	/*) ;;
	*) die "--share $dir:$at: where to mount it must be an absolute path" ;;
	esac
	[ -z "${share_at[$at]:-}" ] || die "${share_at[$at]} and $dir would both be $at"
	share_at[$at]=$dir
	shares[i]=$dir
	hostfs_roots+=":$dir"
	append+=("umlab.share=$dir:$at")
done

# --- the host must be able to run UML -----------------------------------
# What can be known without starting a program is checked before boot;
# what needs one (a probe run, df, strace) only if UML fails, to say why:
# every program started here costs milliseconds, and boots take a tenth of
# a second.

mem_kib() {
	local n=${1%[KMG]}
	case "$1" in
	*K) echo "$n" ;;
	*M) echo $((n * 1024)) ;;
	*G) echo $((n * 1024 * 1024)) ;;
	*) echo $((n / 1024)) ;;
	esac
}

# UML keeps guest RAM in a file it maps executable, in $TMPDIR.
tmpbase=
for d in ${TMPDIR:+"$TMPDIR"} /dev/shm /tmp; do
	if [ -d "$d" ] && [ -w "$d" ]; then
		tmpbase=$d
		break
	fi
done
[ -n "$tmpbase" ] || die "no writable temporary directory (tried \$TMPDIR, /dev/shm, /tmp)"

scope=0
{ read -r scope </proc/sys/kernel/yama/ptrace_scope; } 2>/dev/null || true
[ "$scope" != 3 ] ||
	die "ptrace is disabled (kernel.yama.ptrace_scope=3); UML needs it: a reboot with a lower setting is the only way back"

check_tmpdir() {
	local d=$1 probe avail need
	probe=$(mktemp "$d/umlab-exec.XXXXXX") || die "cannot create a file in $d"
	printf '#!/bin/sh\nexit 0\n' >"$probe"
	chmod +x "$probe"
	if ! "$probe" 2>/dev/null; then
		rm -f "$probe"
		die "$d is mounted noexec, but UML maps its memory file from there executable; set TMPDIR to a directory that allows exec"
	fi
	rm -f "$probe"
	avail=$(df -Pk "$d" | awk 'NR == 2 { print $4 }')
	need=$(mem_kib "$mem")
	if [ -n "$avail" ] && [ "$avail" -lt "$need" ]; then
		die "$d has ${avail} KiB free, the guest's memory needs ${need} KiB; free space there, set TMPDIR elsewhere, or use --mem"
	fi
}

check_ptrace() {
	if command -v strace >/dev/null 2>&1 &&
		! strace -qq -e trace=none true >/dev/null 2>&1; then
		die "ptrace is not permitted here (a container without CAP_SYS_PTRACE?); UML runs guest processes under ptrace"
	fi
}

# UML ended without the guest finishing: a host problem to name, if any.
diagnose() {
	check_tmpdir "$tmpbase"
	check_ptrace
}

if [ "$check" = 1 ]; then
	diagnose
	exit 0
fi

# --- one run: its own directory, removed on every way out ---------------

# A run's directory is locked (flock) for as long as its run.sh or its UML
# lives: the lock file's descriptor is inherited. The directories of dead
# runs (run.sh killed with -9, say) are this user's to sweep away; a live
# run's or another user's are never touched.
sweep_dead_runs() {
	local d
	for d in "$tmpbase"/umlab.*/; do
		{ [ -d "$d" ] && [ -O "$d" ]; } || continue
		if [ -f "$d/lock" ]; then
			flock -n "$d/lock" true 2>/dev/null || continue
		elif [ -z "$(find "$d" -maxdepth 0 -mmin +10 2>/dev/null)" ]; then
			continue	# being made just now, lock still to come
		fi
		rm -rf "$d"
	done
}
sweep_dead_runs

rundir=$(mktemp -d "$tmpbase/umlab.XXXXXX")
# locked first, then named: a sweep never sees an unlocked "lock"
exec {lock_fd}>"$rundir/lock.new"
flock -n "$lock_fd"
mv "$rundir/lock.new" "$rundir/lock"

# One host CPU for the whole run. At every guest system call and page
# fault UML and the guest's host process hand the CPU to each other, and
# a hand-over between two CPUs (waking an idle one) costs far more than
# one on the same CPU, on a VM tens of microseconds. Side-by-side runs go
# to different CPUs: UMLAB_CPU (the test runner sets it), else the allowed
# CPU the fewest live runs of this user have taken.
pick_cpu() {
	local line list range cpu n best=0 least=
	local -a cpus=()
	while read -r line; do
		case "$line" in Cpus_allowed_list:*) list=${line#*:} ;; esac
	done </proc/self/status
	for range in ${list//,/ }; do
		for ((cpu = ${range%-*}; cpu <= ${range#*-}; cpu++)); do
			cpus+=("$cpu")
		done
	done
	[ ${#cpus[@]} -gt 0 ] || return 1
	if [ -n "${UMLAB_CPU:-}" ]; then
		echo "${cpus[UMLAB_CPU % ${#cpus[@]}]}"
		return
	fi
	for cpu in "${cpus[@]}"; do
		n=0
		for line in "$tmpbase"/umlab.*/cpu; do
			[ -O "$line" ] && [ "$(<"$line")" = "$cpu" ] && n=$((n + 1))
		done
		if [ -z "$least" ] || [ "$n" -lt "$least" ]; then
			least=$n best=$cpu
		fi
	done
	echo "$best"
}
pin=()
# (an SMP run needs a host CPU per virtual one, or its CPUs take turns)
if [ "$ncpus" = 1 ] && cpu=$(pick_cpu) && command -v taskset >/dev/null; then
	echo "$cpu" >"$rundir/cpu"
	pin=(taskset -c "$cpu")
fi
uml_pid=
relay_pid=
feed_pid=
deadline_pid=
out_pid=
tty_state=
# shellcheck disable=SC2317 # called through trap
cleanup() {
	local rc=$?
	# once: and a second signal (a hangup as the terminal's session ends,
	# another Ctrl-C) must not cut it short, or the run directory stays
	trap - EXIT USR1 USR2
	trap '' INT TERM HUP QUIT PIPE
	stuck=
	if [ -n "$uml_pid" ] && kill -0 "$uml_pid" 2>/dev/null; then
		stuck=1
		kill -TERM "$uml_pid" 2>/dev/null || true
		# UML shuts down on SIGTERM; do not wait forever for it.
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$uml_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$uml_pid" 2>/dev/null || true
		wait "$uml_pid" 2>/dev/null || true
	fi
	# Guest processes are host processes too: none may outlive the run.
	# (They die with UML, which they have as their parent death signal;
	# this is for a UML that could not be stopped.)
	[ -z "$stuck" ] || pkill -KILL -f -- "umid=$umid " 2>/dev/null || true
	# the relay: its loop, and the cat that would wait for one more key
	[ -z "$relay_pid" ] || kill "$relay_pid" "$(cat "$rundir/relay.pid" 2>/dev/null)" 2>/dev/null || true
	# nothing below needs the directory: gone now, whatever comes after
	rm -rf "$rundir"
	# the stdin relay ends by itself when the guest is gone, having left
	# a file's offset where the guest's command stopped reading
	if [ -n "$feed_pid" ]; then
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$feed_pid" 2>/dev/null || break
			sleep 0.05
		done
		kill "$feed_pid" 2>/dev/null || true
	fi
	[ -z "$deadline_pid" ] || kill "$deadline_pid" 2>/dev/null || true
	[ -z "$timer_pid" ] || kill "$timer_pid" 2>/dev/null || true
	# what the guest printed through the output pipe, all of it
	[ -z "$out_pid" ] || { exec {out_fd}>&-; wait "$out_pid" 2>/dev/null; }
	[ -n "$tty_state" ] && stty "$tty_state" 2>/dev/null
	exit "$rc"
}
trap cleanup EXIT
# A signal ends the run once: a second one (timeout passes on the TERM
# its process group got too) must not cut the cleanup short.
# shellcheck disable=SC2317 # called through trap
quiet_exit() { trap '' INT TERM HUP QUIT PIPE; exit "$1"; }
trap 'quiet_exit 130' INT
trap 'quiet_exit 143' TERM
trap 'quiet_exit 129' HUP
trap 'quiet_exit 131' QUIT

umid=umlab-${rundir##*.}

# The status the guest reported on its tty1 (rootfs/init.c), if it did.
guest_status() {
	local line status=
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in "umlab-exit "[0-9]*) status=${line#umlab-exit } ;; esac
	done <"$rundir/status"
	echo "$status"
}

# --- what the guest should do -------------------------------------------

# The arguments as given, each ended by a NUL byte, in hex (rootfs/init.c
# decodes it), byte by byte in the C locale.
encode_argv() {
	local LC_ALL=C a h i out=
	for a; do
		for ((i = 0; i < ${#a}; i++)); do
			printf -v h '%02x' "'${a:i:1}"
			out+=${h: -2}
		done
		out+=00
	done
	echo "$out"
}

if [ ${#cmd[@]} -gt 0 ]; then
	mode=cmd
	append+=("umlab.argv=$(encode_argv "${cmd[@]}")")
elif [ -t 0 ]; then
	mode=shell
else
	mode=stdin
fi

# The console. A terminal on stdin is the guest's; for the interactive
# shell UML reads it itself. For `-- CMD` this script reads it and passes
# every byte on through a FIFO, so that it sees Ctrl-C and Ctrl-\: the
# guest gets them (and interrupts CMD), and if the guest has not ended 2 s
# later, the lab is stopped anyway.
# Stdin that is not a terminal (a pipe, a file) is the guest command's, or
# the guest shell's, as it comes: the feed relay below reads it when the
# guest asks for more and sends it over a serial line (ssl0). So the boot
# does not wait for it, and a file's offset is left where the command
# stopped reading. (UML's console cannot carry it: it hangs a console up
# when its input reaches EOF and drops what the guest had not read yet.)
# /dev/null needs no relay, and gdb's own `run` (--print-args) has none:
# its guest reads /dev/null. The terminal, if any, stays as it is, with
# Ctrl-C for this script: UML would make a terminal on its output raw, so
# output goes through a pipe.
relay=0
feed_in=/dev/null feed_out=/dev/null
if [ -t 0 ]; then
	[ "$print_args" = 1 ] || tty_state=$(stty -g 2>/dev/null || true)
	if [ "$mode" = cmd ] && [ "$gdb" = 0 ] && [ "$print_args" = 0 ]; then
		# The terminal opened anew, for the relay below: UML makes its
		# own descriptions of it non-blocking. After su or runuser the
		# terminal can belong to another user; /dev/tty is the same
		# terminal and asks no permission of it.
		{ exec {tty_fd}</proc/self/fd/0; } 2>/dev/null ||
			{ exec {tty_fd}</dev/tty; } 2>/dev/null ||
			die "cannot open the terminal again for the guest's console"
		mkfifo "$rundir/console"
		exec {con_fd}<>"$rundir/console"
		consoles=("con0=fd:4,fd:1")
		append+=(umlab.tty=1)
		relay=1
	else
		consoles=("con0=fd:0,fd:1")
	fi
else
	out=1
	if [ -t 1 ] && [ "$gdb" = 0 ] && [ "$print_args" = 0 ]; then
		exec {out_fd}> >(exec cat)
		out_pid=$!
		out=4
	fi
	consoles=("con0=null,fd:$out")
	if [ "$print_args" = 1 ] || [ /dev/stdin -ef /dev/null ]; then
		append+=(umlab.stdin=null)
	else
		# fd 5: what the relay sends, fd 6: what the guest asks
		mkfifo "$rundir/feed.in" "$rundir/feed.out"
		feed_in=$rundir/feed.in feed_out=$rundir/feed.out
		consoles+=("ssl0=fd:5,fd:6")
		append+=(umlab.stdin=stream)
	fi
fi

# The guest reports its exit status on its tty1: fd 3, a file here. gdb's
# own `run` (--print-args) has no fd 3 and no use for the status.
status_con=con1=null,fd:3
[ "$print_args" = 0 ] || status_con=con1=null

args=(
	"mem=$mem"
	"ubd0=$rundir/root.cow,$rootfs" root=/dev/ubda rw
	init=/init "hostfs=$hostfs_roots"
	con=null ssl=null "${consoles[@]}" "$status_con"
	"umid=$umid" "uml_dir=$rundir" noreboot
	"umlab.mode=$mode" "umlab.build=$build"
)
# You, as an ordinary user of the guest too, with sudo (rootfs/init.c)
if [ "$(id -u)" -ne 0 ]; then
	name=$(id -un)
	[[ "$name" =~ ^[a-z_][a-z0-9_.-]{0,31}$ ]] || name=user
	args+=("umlab.user=$name:$(id -u):$(id -g)")
fi
[ "$verbose" = 1 ] || args+=(quiet)
# Under gdb, Ctrl-C on the console stops the kernel (the isig patch).
[ "$gdb" = 0 ] || args+=(isig)
# UML 6.16 and later has a seccomp userspace besides the ptrace one; in
# it a guest process, any user, can make host system calls as you through
# its own stub pages (docs/kernel.md; tests/seccomp-boundary.sh). The lab
# boots the ptrace userspace, where every guest system call stops in the
# kernel, and says so, whatever UML's default may become; seccomp=on (or
# auto) in --append comes after, and wins, with a word on stderr.
# SMP (--cpus N) runs on the seccomp userspace only: said too.
release=$(cat "${kernel%/*}/include/config/kernel.release" 2>/dev/null || true)
if [ "$ncpus" -gt 1 ]; then
	args+=("ncpus=$ncpus" seccomp=on)
	echo "run.sh: --cpus $ncpus: UML's SMP runs on its seccomp userspace: guest processes can make host system calls as $(id -un) (docs/kernel.md)" >&2
elif [[ "$release" =~ ^([0-9]+)\.([0-9]+) ]] &&
	(( BASH_REMATCH[1] * 1000 + BASH_REMATCH[2] >= 6016 )); then
	args+=(seccomp=off)
	for a in "${append[@]}"; do
		case "$a" in
		seccomp=on | seccomp=auto)
			echo "run.sh: $a: guest processes can make host system calls as $(id -un): UML's seccomp userspace does not confine them (docs/kernel.md)" >&2 ;;
		esac
	done
fi
# Time travel (inf-cpu) counts a wait for the host as idle and jumps to
# the next timer: a task in one disk read can be "blocked" for minutes of
# guest time, and the debug profile's hung-task detector reports it. With
# time travel it is off; in real time it stays on.
for a in "${append[@]}"; do
	case "$a" in
	time-travel*)
		grep -q '^CONFIG_DETECT_HUNG_TASK=y' "${kernel%/*}/.config" 2>/dev/null &&
			args+=(sysctl.kernel.hung_task_timeout_secs=0)
		break ;;
	esac
done
args+=("${append[@]}")

# UML copies its arguments, all but umid=, into the kernel command line,
# adds console=tty0 when none is given, and stops with a message easily
# missed ("add_arg: Too many command line arguments!") past 4095 bytes
# (COMMAND_LINE_SIZE with its NUL, arch/um/kernel/um_arch.c). Counted
# here the same way, in bytes, to say so before boot.
check_cmdline() {
	local LC_ALL=C a n=0 console=" console=tty0" max=4095
	for a in "${args[@]}"; do
		case "$a" in
		umid=*) continue ;;
		console=*) console= ;;
		esac
		n=$((n + ${#a} + 1))
	done
	n=$((n - 1 + ${#console}))
	[ "$n" -le "$max" ] ||
		die "the kernel command line would be $n bytes, past UML's limit of $max (COMMAND_LINE_SIZE): shorten the command (each of its bytes takes two there), the --append arguments or the --share paths"
}
check_cmdline

if [ "$print_args" = 1 ]; then
	printf '%s\n' "$rundir" "${args[@]}"
	# The run is the caller's now, and its directory stays locked here
	# until the caller closes its end of the pipe: no moment in which
	# another run could take the directory for a dead run's and sweep it.
	exec >&-
	while read -r -u "$hold_fd" _; do :; done
	exit 0
fi

# The feed relay (scripts/host/stdin-feed.c): it answers the guest's
# "more N" (rootfs/init.c, struct feed) with at most N bytes of stdin, and
# leaves a file's offset where the guest's "took N" says. It ends with the
# guest.
start_feed() {
	local feed=$top/build/host/stdin-feed
	[ -x "$feed" ] || die "no $feed, which passes stdin to the guest: run 'make' first (or run.sh -n)"
	setpriv --pdeathsig TERM "$feed" "$feed_out" "$feed_in" <&0 {lock_fd}>&- &
	feed_pid=$!
	# UML and gdb have no business with it
	exec </dev/null
}

# GDB_ARGS, split into words as a shell would (quotes, backslashes) with
# nothing in it expanded or run: -ex 'break foo' stays one argument.
gdb_args=()
if [ "$gdb" = 1 ]; then
	command -v gdb >/dev/null || die "gdb is not installed (make deps)"
	if [ -n "${GDB_ARGS:-}" ]; then
		python3 -c '
import shlex, sys
try:
    words = shlex.split(sys.argv[1])
except ValueError as e:
    sys.exit("run.sh: GDB_ARGS: %s (it is split as a shell would: see --help)" % e)
sys.stdout.write("".join(w + "\0" for w in words))' "$GDB_ARGS" >"$rundir/gdb-args" || exit 2
		mapfile -t -d '' gdb_args <"$rundir/gdb-args"
	fi
fi

[ "$feed_in" = /dev/null ] || start_feed

if [ "$gdb" = 1 ]; then
	set +e
	# the lab's gdb setup looks for modules' .ko files in the shares too
	TMPDIR=$rundir UMLAB_GDB_PREPARED=1 UMLAB_BUILD=$build \
		UMLAB_SHARES=$(IFS=:; echo "${shares[*]}") gdb -q \
		-iex 'set auto-load local-gdbinit off' \
		-x "$top/scripts/gdb/umlab.py" "${gdb_args[@]}" \
		--args "$kernel" "${args[@]}" 3>"$rundir/status" \
		5<>"$feed_in" 6<>"$feed_out"
	gdb_rc=$?
	set -e
	status=$(guest_status)
	exit "${status:-$gdb_rc}"
fi

# UML puts its memory file in $TMPDIR; the guest's exit status comes back
# through its /dev/tty1, which is fd 3 here; fd 4 is its console when
# this script relays it, 5 and 6 the feed's line. Should this script be
# killed outright (SIGKILL, no trap), UML gets a SIGTERM and shuts down.
launch=(setpriv --pdeathsig TERM "${pin[@]}" "$kernel" "${args[@]}")
if [ "$relay" = 1 ]; then
	TMPDIR=$rundir "${launch[@]}" 3>"$rundir/status" 4<"$rundir/console" {tty_fd}<&- &
elif [ -t 0 ]; then
	# (explicitly: a background job's stdin is /dev/null otherwise)
	TMPDIR=$rundir "${launch[@]}" <&0 3>"$rundir/status" &
else
	TMPDIR=$rundir "${launch[@]}" 3>"$rundir/status" 4>&"${out_fd:-1}" \
		5<>"$feed_in" 6<>"$feed_out" &
fi
uml_pid=$!

# -- CMD on a terminal: the terminal raw, its bytes to the guest's console.
# cat reads the terminal (bash's own read would turn Ctrl-C back into a
# signal); the loop passes each byte on and tells this script (SIGUSR1)
# when one is Ctrl-C or Ctrl-\.
interrupted=0
if [ "$relay" = 1 ]; then
	stty raw -echo 2>/dev/null
	main_pid=$$
	# (from tty_fd, opened above: a background job gets /dev/null as stdin)
	{
		echo "$BASHPID" >"$rundir/relay.pid"
		exec cat <&"$tty_fd"
	} | {
		export LC_ALL=C
		while IFS= read -r -N1 -d '' c; do
			if [ -z "$c" ]; then printf '\0'; else printf '%s' "$c"; fi
			case "$c" in $'\003' | $'\034') kill -USR1 "$main_pid" ;; esac
		done >&"$con_fd"
	} &
	relay_pid=$!
	# shellcheck disable=SC2317 # called through trap
	on_interrupt() {
		[ "$interrupted" = 1 ] && return
		interrupted=1
		{ sleep 2 && kill -USR2 "$main_pid"; } 2>/dev/null &
		deadline_pid=$!
	}
	# shellcheck disable=SC2317 # called through trap
	on_deadline() {
		kill -0 "$uml_pid" 2>/dev/null || return 0
		printf '\r\nrun.sh: the guest did not end within 2 s of Ctrl-C; stopping it\r\n' >&2
		exit 130
	}
	trap on_interrupt USR1
	trap on_deadline USR2
fi

# --timeout: past it, the kernel shows what it is doing (scripts/sysrq.sh)
# before the lab is stopped. The timer's sleep goes with it.
if [ -n "$limit" ]; then
	main_pid=$$
	(
		trap 'kill "$sleep_pid" 2>/dev/null; exit 0' TERM
		sleep "$limit" &
		sleep_pid=$!
		wait "$sleep_pid" && kill -ALRM "$main_pid"
	) 2>/dev/null &
	timer_pid=$!
	# shellcheck disable=SC2317 # called through trap
	on_timeout() {
		kill -0 "$uml_pid" 2>/dev/null || return 0
		printf 'run.sh: the guest did not finish within %s s; what its kernel is doing:\n' "$limit" >&2
		"$top/scripts/sysrq.sh" "$rundir/$umid/mconsole" "$top/$build/kernel/.config" >&2
		printf 'run.sh: stopping the guest after %s s\n' "$limit" >&2
		# halted by its kernel, in process context, if it still can
		# (a SIGTERM can land in an interrupt handler, where UML's exit
		# calls free IRQs and 7.3 warns); the exit's TERM otherwise
		timeout 2 uml_mconsole "$rundir/$umid/mconsole" halt >/dev/null 2>&1
		for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			kill -0 "$uml_pid" 2>/dev/null || break
			sleep 0.1
		done
		exit 124
	}
	trap on_timeout ALRM
fi

# A signal this script traps interrupts the wait, and UML lives on.
set +e
while kill -0 "$uml_pid" 2>/dev/null; do
	wait "$uml_pid" 2>/dev/null
done
wait "$uml_pid" 2>/dev/null
uml_rc=$?
set -e
uml_pid=

status=$(guest_status)
if [ -n "$status" ]; then
	exit "$status"
fi
if [ "$uml_rc" -eq 0 ]; then
	# the guest powered off by itself (poweroff -f, halt -f, reboot -f)
	exit 0
fi
diagnose
if [ "$uml_rc" -gt 128 ]; then
	sig=$(kill -l $((uml_rc - 128)) 2>/dev/null || echo $((uml_rc - 128)))
	case "$sig" in
	ABRT) echo "run.sh: the guest kernel panicked (UML aborted, SIGABRT); its last messages are above" >&2 ;;
	*) echo "run.sh: the UML process was killed by SIG$sig before the guest finished" >&2 ;;
	esac
else
	echo "run.sh: UML exited with status $uml_rc before the guest finished (a kernel panic or a failed boot; run with --verbose)" >&2
fi
exit "$uml_rc"
