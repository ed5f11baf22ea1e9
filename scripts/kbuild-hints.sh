#!/usr/bin/env bash
# Run a module build and, when it fails, add a short hint for each error
# that comes from a known difference between UML and x86: a header that
# x86's headers pull in and UML's do not, or a symbol UML cannot have.
# Everything the build prints passes through unchanged; the exit status is
# the build's. Kbuild's compiler probes are remembered from one build to
# the next (scripts/try-run-cache.mk).
#
# With --ext (the lab's KDIR, for a module directory from anywhere, M= in
# the environment as make puts it there), a build that fails only for want
# of headers that x86's headers include on the way and UML's do not is
# built again with those (scripts/x86-headers.sh), as it would build on
# x86, and one line says which the module relies on; the directory is
# remembered, and built with them straight away after that. UMLAB_STRICT=1
# builds as written, with the hints. The lab's own modules are strict.
#
# usage: scripts/kbuild-hints.sh [--ext] KOUT CMD [ARGS...]
#        scripts/kbuild-hints.sh --log KOUT LOGFILE   (hints for a saved log)
set -uo pipefail

# identifier -> the header that declares it, for what x86 gets implicitly
headers='
access_ok copy_to_user copy_from_user get_user put_user clear_user
  strncpy_from_user strnlen_user __copy_to_user __copy_from_user
  = linux/uaccess.h
file inode file_operations O_NONBLOCK O_RDONLY O_WRONLY O_RDWR O_APPEND
  O_NDELAY register_chrdev unregister_chrdev alloc_chrdev_region
  register_chrdev_region unregister_chrdev_region iminor imajor file_inode
  noop_llseek default_llseek no_llseek fasync_helper kill_fasync
  nonseekable_open stream_open simple_read_from_buffer
  simple_write_to_buffer generic_file_llseek fixed_size_llseek
  = linux/fs.h
cdev cdev_init cdev_add cdev_del cdev_alloc = linux/cdev.h
class_create class_destroy device_create device_destroy = linux/device.h
kmalloc kzalloc kcalloc krealloc kfree kmalloc_array kmem_cache_create
  kmem_cache_alloc kmem_cache_free kmem_cache_destroy = linux/slab.h
vmalloc vzalloc vfree = linux/vmalloc.h
poll_wait poll_table poll_table_struct = linux/poll.h
msleep mdelay udelay ssleep usleep_range msleep_interruptible = linux/delay.h
kthread_run kthread_create kthread_stop kthread_should_stop = linux/kthread.h
tasklet_init tasklet_setup tasklet_schedule tasklet_kill tasklet_struct
  request_irq free_irq = linux/interrupt.h
proc_create proc_remove remove_proc_entry proc_mkdir proc_ops
  = linux/proc_fs.h
seq_printf seq_puts seq_read seq_lseek single_open single_release seq_file
  seq_operations seq_open seq_release = linux/seq_file.h
misc_register misc_deregister miscdevice MISC_DYNAMIC_MINOR
  = linux/miscdevice.h
wait_event_interruptible wait_event wake_up_interruptible wake_up
  init_waitqueue_head wait_queue_head = linux/wait.h
schedule_timeout_interruptible = linux/sched.h
send_sig force_sig = linux/sched/signal.h
kobject_create_and_add kobject_put kernel_kobj sysfs_create_group
  sysfs_remove_group sysfs_create_file sysfs_remove_file = linux/sysfs.h
'

# x86 symbols a UML kernel cannot have, and why
x86only='
read_cr0 write_cr0 read_cr3 read_cr4 write_cr4 native_read_cr0
  native_write_cr0 native_write_cr0 cr4_set_bits cr4_clear_bits
  X86_CR0_WP __write_cr4 = control registers: a UML kernel runs as a host process, in ring 3
sys_call_table ia32_sys_call_table x64_sys_call = a syscall table: UML does not export one, and guest system calls go through ptrace
inb inw inl outb outw outl inb_p outb_p insb insw outsb outsw ioperm
  request_region release_region = I/O ports: UML has no port I/O
rdmsr wrmsr rdmsrl wrmsrl rdmsr_safe wrmsr_safe native_read_msr
  = model-specific registers: not readable from a host process
rdtsc rdtscl rdtsc_ordered = the TSC helpers of x86: use ktime_get() or get_cycles()
pci_register_driver pci_unregister_driver pci_enable_device
  pci_iomap = PCI: the lab kernel has no PCI bus
apic lapic x2apic irq_to_desc = interrupt controller hardware: UML has only its own virtual IRQs
'

hint() { printf 'umlab: hint: %s\n' "$*" >&2; }

# lookup TABLE NAME: the text after "=" of the entry that lists NAME
lookup() {
	awk -v want="$2" '
		/=/ { split($0, a, "="); line = line " " a[1]
		      n = split(line, w, " ")
		      for (i = 1; i <= n; i++) if (w[i] == want) { sub(/^ */, "", a[2]); print a[2]; exit }
		      line = ""; next }
		{ line = line " " $0 }' <<<"$1"
}

# hints LOG KOUT: a hint for each missing header (naming what the errors
# wanted from it) and each x86-only symbol the log's errors mention
hints() {
	local log=$1 kout=$2 loc name bare h what
	local -A names=() where=()
	local -a order=()
	# "file:line:col: error: ... 'NAME' ..." (gcc quotes with ‘’ in UTF-8
	# locales) and modpost's 'ERROR: modpost: "NAME" [foo.ko] undefined!'
	while IFS=$'\t' read -r loc name; do
		bare=${name##* }
		if h=$(lookup "$headers" "$bare") && [ -n "$h" ]; then
			key="<$h>"
		elif what=$(lookup "$x86only" "$bare") && [ -n "$what" ]; then
			key="x86:$bare"
			names[$key]=$what
		elif [ "$bare" = BUGFLAG_WARNING ] || [ "$bare" = BUGFLAG_TAINT ]; then
			key=arch
		else
			continue
		fi
		if [ -z "${where[$key]:-}" ]; then
			order+=("$key")
			where[$key]=$loc
		fi
		case "$key" in
		"<"*) case " ${names[$key]:-} " in
			*" $name,"* | *" $name "*) ;;
			*) names[$key]="${names[$key]:+${names[$key]}, }$name" ;;
			esac ;;
		esac
	done < <(sed -e "s/‘/'/g" -e "s/’/'/g" "$log" | sed -nE \
		-e "s/^([^ :]+:[0-9]+):[0-9]+: error: (implicit declaration of function|invalid use of undefined type|dereferencing pointer to incomplete type|variable '[^']*' has initializer but incomplete type|field '[^']*' has incomplete type|storage size of|array type has incomplete element type) '(const )?((struct |enum |union )?[A-Za-z_][A-Za-z0-9_]*)'.*/\1\t\4/p" \
		-e "s/^([^ :]+:[0-9]+):[0-9]+: error: '([A-Za-z_][A-Za-z0-9_]*)' undeclared.*/\1\t\2/p" \
		-e 's/^ERROR: modpost: "([A-Za-z_][A-Za-z0-9_]*)" \[([^]]+)\] undefined!.*/\2\t\1/p')
	for key in "${order[@]}"; do
		case "$key" in
		"<"*) hint "${where[$key]}: ${names[$key]}: declared in $key, which x86's headers include on the way and UML's do not: add #include $key" ;;
		x86:*) hint "${where[$key]}: ${key#x86:} is x86-only (${names[$key]}); this module cannot run on UML as it is" ;;
		arch) hint "this looks like a build without ARCH=um: use the lab's KDIR, which sets it ($kout is an ARCH=um tree)" ;;
		esac
	done
}

if [ "${1:-}" = --log ]; then
	[ $# -eq 3 ] || { echo "usage: $0 --log KOUT LOGFILE" >&2; exit 2; }
	hints "$3" "$2"
	exit 0
fi
ext=
if [ "${1:-}" = --ext ]; then
	[ "${UMLAB_STRICT:-0}" = 1 ] || ext=${M:-}
	shift
fi
[ $# -ge 2 ] || { echo "usage: $0 [--ext] KOUT CMD [ARGS...]" >&2; exit 2; }
kout=$1
shift
# the probes' outcomes, kept while the kernel stays as it is
# (absolute paths: make -C changes directory)
abs() { if [[ "$1" = /* ]]; then echo "$1"; else echo "$PWD/$1"; fi; }
cache=$(abs "$kout/.umlab-try-run")
[ ! -e "$cache" ] || [ "$cache" -nt "$kout/linux" ] || rm -f "$cache"
here=$(abs "${0%/*}")
export UMLAB_TRY_RUN_CACHE=$cache
export MAKEFILES="${MAKEFILES:+$MAKEFILES }$here/try-run-cache.mk"
log=$(mktemp "${TMPDIR:-/tmp}/umlab-kbuild.XXXXXX")
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# live CMD...: stderr to the terminal as it comes, and to the log; stdout
# untouched
live() {
	{ "$@" 2>&1 1>&3 3>&- | tee "$log" >&2 3>&-; } 3>&1
	return "${PIPESTATUS[0]}"
}
if [ -z "$ext" ]; then
	live "$@"
	rc=$?
	[ "$rc" -eq 0 ] || hints "$log" "$kout"
	exit "$rc"
fi

# A module directory: as written first (its errors kept back), then, if
# all it lacks is what x86's headers would have brought, with those.
dir=$(cd "$ext" 2>/dev/null && pwd) || dir=$ext
state=$kout/../ext/$(printf '%s' "$dir" | md5sum | cut -c1-12)/x86-headers
relies() {
	printf 'umlab: %s relies on %s, which x86'"'"'s headers include on the way and UML'"'"'s do not: built with what they bring in (UMLAB_STRICT=1 builds it as written)\n' \
		"${dir##*/}" "$1" >&2
}
if [ -s "$state" ] && hdr=$("$here/x86-headers.sh" "$kout"); then
	relies "$(cat "$state")"
	live "$@" CFLAGS_MODULE="${CFLAGS_MODULE:-} -include $hdr"
	exit $?
fi
"$@" 2>"$log"
rc=$?
strict=$(mktemp "${TMPDIR:-/tmp}/umlab-kbuild.XXXXXX")
trap 'rm -f "$log" "$strict"' EXIT
mv "$log" "$strict"
wanted=$(hints "$strict" "$kout" 2>&1 | sed -n 's/.*declared in \(<[^>]*>\), which x86.*/\1/p' | sort -u | tr '\n' ' ')
if [ "$rc" -ne 0 ] && [ -n "$wanted" ] && hdr=$("$here/x86-headers.sh" "$kout") &&
	live "$@" CFLAGS_MODULE="${CFLAGS_MODULE:-} -include $hdr"; then
	mkdir -p "${state%/*}"
	echo "${wanted% }" >"$state"
	relies "${wanted% }"
	exit 0
fi
cat "$strict" >&2
[ "$rc" -eq 0 ] || hints "$strict" "$kout"
exit "$rc"
