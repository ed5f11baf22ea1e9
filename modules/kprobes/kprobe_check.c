// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe_check - kprobes and kretprobes put through their paces.
 *
 * On load, a kprobe with pre and post handlers and a kretprobe go on
 * do_sys_openat2(dfd, filename, how), the function every open(2) and
 * openat(2) reaches. They count the opens of one path (path=) and keep
 * what they saw: the first argument (dfd) from the registers at entry,
 * the return value (an fd, or -errno) at return. A third probe counts
 * the timer ticks (update_process_times(), run from the timer interrupt).
 * In /sys/kernel/debug/kprobe_check:
 *   counts   read: what the probes saw
 *   loop     write N: a probe on a function of this module, called N times
 *   walk     write gcd or target: probe every instruction of that function
 *            in turn, call it each time, and check the result is unchanged
 *   cpus     write N: every online CPU calls a function of this module N
 *            times at once, through one probe that counts the hits per
 *            CPU, while the writer arms and disarms a probe on gcd(), which
 *            that function calls, over and over; read: what came of it
 *   try      write SYMBOL+OFFSET: register a kprobe there and remove it
 *            again; the write fails with register_kprobe()'s error
 *   bytes    read: the first bytes of do_sys_openat2 as they are now
 *   flags    read: a kretprobe on a function that returns with the carry
 *            flag set: "HANDLER CALLER CLEARED", the carry as its handler
 *            saw it, as the caller saw it, and as the caller saw it when
 *            the handler cleared it (1 1 0 when flags survive the return)
 *
 *   insmod kprobe_check.ko path=/tmp/x; cat /tmp/x; cat .../counts
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/gcd.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>

static char path[64] = "/tmp/kprobe-check";
module_param_string(path, path, sizeof(path), 0444);
MODULE_PARM_DESC(path, "the file whose opens are counted");

#define PROBED "do_sys_openat2"

static struct dentry *dir;
static atomic_t pre_hits, post_hits, ret_hits, loop_hits, ticks;
static long last_dfd = 1, last_ret = 1;
static u8 bytes_before[4];

/*
 * Whether do_sys_openat2's filename (its second argument) is ours. The
 * handlers run with interrupts off and must not sleep: a user page that
 * is not there is a miss.
 */
static bool kc_is_ours(struct pt_regs *regs)
{
	const char __user *filename = (const char __user *)PT_REGS_SI(regs);
	size_t n = strlen(path) + 1;
	char name[sizeof(path)];

	return !copy_from_user_nofault(name, filename, n) &&
	       !memcmp(name, path, n);
}

static int kc_pre(struct kprobe *p, struct pt_regs *regs)
{
	if (kc_is_ours(regs)) {
		last_dfd = (int)PT_REGS_DI(regs);
		atomic_inc(&pre_hits);
	}
	return 0;
}

static void kc_post(struct kprobe *p, struct pt_regs *regs,
		    unsigned long flags)
{
	if (kc_is_ours(regs))
		atomic_inc(&post_hits);
}

static struct kprobe kc_probe = {
	.symbol_name = PROBED,
	.pre_handler = kc_pre,
	.post_handler = kc_post,
};

/* In interrupt context: UML's timer interrupt is a host SIGALRM. */
static int kc_tick(struct kprobe *p, struct pt_regs *regs)
{
	atomic_inc(&ticks);
	return 0;
}

static struct kprobe kc_tick_probe = {
	.symbol_name = "update_process_times",
	.pre_handler = kc_tick,
};

/* At entry: remember whether this open is ours, for the return. */
static int kc_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(bool *)ri->data = kc_is_ours(regs);
	return 0;
}

static int kc_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (*(bool *)ri->data) {
		/* an fd or an errno: do_sys_openat2() returns an int in 7.x */
		last_ret = (int)regs_return_value(regs);
		atomic_inc(&ret_hits);
	}
	return 0;
}

static struct kretprobe kc_retprobe = {
	.kp.symbol_name = PROBED,
	.entry_handler = kc_entry,
	.handler = kc_return,
	.data_size = sizeof(bool),
	.maxactive = 16,
};

static int kc_start;

/*
 * A function with a bit of everything: a loop, a branch, a call, and a
 * read of memory, so that the compiler must call it where it is called.
 */
static noinline int kc_target(int n)
{
	int i, sum = READ_ONCE(kc_start);

	for (i = 0; i < n; i++)
		sum += (i & 1) ? gcd(i, 12) : i * 3;
	return sum;
}

static int kc_count(struct kprobe *p, struct pt_regs *regs)
{
	atomic_inc(&loop_hits);
	return 0;
}

static atomic_t walk_hits;

static int kc_walk_hit(struct kprobe *p, struct pt_regs *regs)
{
	atomic_inc(&walk_hits);
	return 0;
}

/*
 * Call the walked function, probed or not: its result must not change.
 * (The arguments are read with READ_ONCE(): gcd() is declared const, and
 * the compiler would call it once for all the calls with the same ones.)
 */
static unsigned long kc_args[] = { 1071, 462, 17, 5, 7, 3 };

static long kc_call(bool gcd_fn)
{
	if (gcd_fn)
		return gcd(READ_ONCE(kc_args[0]), READ_ONCE(kc_args[1])) +
		       gcd(READ_ONCE(kc_args[2]), READ_ONCE(kc_args[3]));
	return kc_target(READ_ONCE(kc_args[4]));
}

static ssize_t counts_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	char s[160];
	int n;

	n = scnprintf(s, sizeof(s),
		      "pre %d post %d return %d dfd %ld retval %ld missed %lu loop %d ticks %d\n",
		      atomic_read(&pre_hits), atomic_read(&post_hits),
		      atomic_read(&ret_hits), last_dfd, last_ret,
		      kc_probe.nmissed + kc_retprobe.nmissed,
		      atomic_read(&loop_hits), atomic_read(&ticks));
	return simple_read_from_buffer(buf, len, ppos, s, n);
}

static ssize_t loop_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *ppos)
{
	struct kprobe kp = { .addr = (void *)kc_target, .pre_handler = kc_count };
	unsigned int n, i;
	int ret, want = kc_target(READ_ONCE(kc_args[5]));

	barrier();	/* the call above is not to be moved below */
	ret = kstrtouint_from_user(buf, len, 0, &n);
	if (ret)
		return ret;
	ret = register_kprobe(&kp);
	if (ret)
		return ret;
	atomic_set(&loop_hits, 0);
	for (i = 0; i < n; i++) {
		if (kc_target(READ_ONCE(kc_args[5])) != want) {
			ret = -EIO;
			break;
		}
	}
	unregister_kprobe(&kp);
	return ret ? ret : len;
}

/* The size of the function at @addr, from kallsyms' "name+off/size". */
static unsigned long kc_size(unsigned long addr)
{
	char s[KSYM_SYMBOL_LEN], *slash;
	unsigned long size;

	sprint_symbol(s, addr);
	s[strcspn(s, " ")] = '\0';	/* a module's name follows */
	slash = strrchr(s, '/');
	if (!slash || kstrtoul(slash + 1, 16, &size))
		return 0;
	return size;
}

static char walk_result[160];

static ssize_t walk_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *ppos)
{
	unsigned long addr, size, off;
	unsigned int probed = 0, inside = 0, refused = 0, wrong = 0;
	char name[16];
	bool gcd_fn;
	long want;

	if (len >= sizeof(name) || copy_from_user(name, buf, len))
		return -EINVAL;
	name[len] = '\0';
	strim(name);
	gcd_fn = !strcmp(name, "gcd");
	if (!gcd_fn && strcmp(name, "target"))
		return -EINVAL;
	addr = gcd_fn ? (unsigned long)gcd : (unsigned long)kc_target;
	size = kc_size(addr);
	if (!size)
		return -ENOENT;

	want = kc_call(gcd_fn);
	atomic_set(&walk_hits, 0);
	for (off = 0; off < size; off++) {
		struct kprobe kp = {
			.addr = (void *)(addr + off),
			.pre_handler = kc_walk_hit,
		};
		int ret = register_kprobe(&kp);

		if (ret == -EILSEQ) {	/* not where an instruction starts */
			inside++;
			continue;
		}
		if (ret) {
			refused++;
			continue;
		}
		probed++;
		if (kc_call(gcd_fn) != want)
			wrong++;
		unregister_kprobe(&kp);
	}
	scnprintf(walk_result, sizeof(walk_result),
		  "%s: %u instructions probed, %u refused, %u hits, %u wrong results, %u offsets inside an instruction\n",
		  name, probed, refused, atomic_read(&walk_hits), wrong, inside);
	pr_info("walk %s", walk_result);
	return wrong ? -EIO : len;
}

static ssize_t walk_read(struct file *file, char __user *buf, size_t len,
			 loff_t *ppos)
{
	return simple_read_from_buffer(buf, len, ppos, walk_result,
				       strlen(walk_result));
}

/* cpus: one run of kc_target() on every online CPU at once */
struct kc_cpus_run {
	unsigned int n;
	int want;
	atomic_t wrong;
	atomic_t running;
	struct completion done;
};

static DEFINE_PER_CPU(unsigned int, kc_cpu_hits);
static atomic_t kc_gcd_hits;
static char cpus_result[256];

static int kc_cpu_hit(struct kprobe *p, struct pt_regs *regs)
{
	this_cpu_inc(kc_cpu_hits);
	return 0;
}

static int kc_gcd_hit(struct kprobe *p, struct pt_regs *regs)
{
	atomic_inc(&kc_gcd_hits);
	return 0;
}

static int kc_cpus_fn(void *data)
{
	struct kc_cpus_run *run = data;
	unsigned int i;

	for (i = 0; i < run->n; i++) {
		if (kc_target(READ_ONCE(kc_args[5])) != run->want)
			atomic_inc(&run->wrong);
		if (!(i % 1024))
			cond_resched();
	}
	if (atomic_dec_and_test(&run->running))
		complete(&run->done);
	/* a thread bound to a CPU stops only when told to */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

/*
 * Arm a probe on gcd(), wait for a hit, disarm it, and again, until every
 * CPU is done: the text of the kernel changes under CPUs that are running
 * it. How many times.
 */
static int kc_toggle(struct kc_cpus_run *run, unsigned int *toggles)
{
	while (!completion_done(&run->done)) {
		struct kprobe kp = {
			.addr = (void *)gcd,
			.pre_handler = kc_gcd_hit,
		};
		int hits = atomic_read(&kc_gcd_hits);
		int ret = register_kprobe(&kp);

		if (ret)
			return ret;
		while (atomic_read(&kc_gcd_hits) == hits &&
		       !completion_done(&run->done))
			cond_resched();
		unregister_kprobe(&kp);
		(*toggles)++;
	}
	return 0;
}

static ssize_t cpus_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *ppos)
{
	struct kprobe kp = { .addr = (void *)kc_target, .pre_handler = kc_cpu_hit };
	unsigned int cpu, started = 0, toggles = 0, hits = 0;
	struct task_struct **task;
	struct kc_cpus_run run;
	size_t n;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &run.n);
	if (ret)
		return ret;
	task = kcalloc(nr_cpu_ids, sizeof(*task), GFP_KERNEL);
	if (!task)
		return -ENOMEM;
	run.want = kc_target(READ_ONCE(kc_args[5]));
	atomic_set(&run.wrong, 0);
	atomic_set(&run.running, num_online_cpus());
	init_completion(&run.done);
	atomic_set(&kc_gcd_hits, 0);
	for_each_possible_cpu(cpu)
		per_cpu(kc_cpu_hits, cpu) = 0;

	ret = register_kprobe(&kp);
	if (ret)
		goto out_free;
	for_each_online_cpu(cpu) {
		task[cpu] = kthread_create_on_cpu(kc_cpus_fn, &run, cpu,
						  "kprobe_check/%u");
		if (IS_ERR(task[cpu])) {
			ret = PTR_ERR(task[cpu]);
			task[cpu] = NULL;
			break;
		}
		started++;
	}
	if (started < num_online_cpus()) {
		/* none runs: the ones made are stopped before they start */
		for_each_online_cpu(cpu)
			if (task[cpu])
				kthread_stop(task[cpu]);
		goto out_unregister;
	}
	for_each_online_cpu(cpu)
		wake_up_process(task[cpu]);
	ret = kc_toggle(&run, &toggles);
	wait_for_completion(&run.done);
	for_each_online_cpu(cpu)
		kthread_stop(task[cpu]);

	n = scnprintf(cpus_result, sizeof(cpus_result),
		      "cpus %u calls %u wrong %d missed %lu toggles %u gcd %d hits",
		      started, run.n, atomic_read(&run.wrong), kp.nmissed,
		      toggles, atomic_read(&kc_gcd_hits));
	for_each_online_cpu(cpu) {
		hits += per_cpu(kc_cpu_hits, cpu);
		n += scnprintf(cpus_result + n, sizeof(cpus_result) - n,
			       " %u", per_cpu(kc_cpu_hits, cpu));
	}
	scnprintf(cpus_result + n, sizeof(cpus_result) - n, " sum %u\n", hits);
	pr_info("%s", cpus_result);
	if (!ret && atomic_read(&run.wrong))
		ret = -EIO;
out_unregister:
	unregister_kprobe(&kp);
out_free:
	kfree(task);
	return ret ? ret : len;
}

static ssize_t cpus_read(struct file *file, char __user *buf, size_t len,
			 loff_t *ppos)
{
	return simple_read_from_buffer(buf, len, ppos, cpus_result,
				       strlen(cpus_result));
}

static ssize_t try_write(struct file *file, const char __user *buf,
			 size_t len, loff_t *ppos)
{
	char spec[KSYM_NAME_LEN + 16], *plus;
	struct kprobe kp = { .pre_handler = kc_walk_hit };
	unsigned int offset = 0;
	int ret;

	if (len >= sizeof(spec) || copy_from_user(spec, buf, len))
		return -EINVAL;
	spec[len] = '\0';
	strim(spec);
	plus = strchr(spec, '+');
	if (plus) {
		*plus = '\0';
		if (kstrtouint(plus + 1, 0, &offset))
			return -EINVAL;
	}
	kp.symbol_name = spec;
	kp.offset = offset;
	ret = register_kprobe(&kp);
	pr_info("register_kprobe(%s+%u) = %d\n", spec, offset, ret);
	if (ret)
		return ret;
	unregister_kprobe(&kp);
	return len;
}

static ssize_t bytes_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	u8 now[sizeof(bytes_before)];
	char s[32];
	int n;

	if (copy_from_kernel_nofault(now, kc_probe.addr, sizeof(now)))
		return -EFAULT;
	n = scnprintf(s, sizeof(s), "%*phN %*phN\n",
		      (int)sizeof(now), now, (int)sizeof(now), bytes_before);
	return simple_read_from_buffer(buf, len, ppos, s, n);
}

/*
 * kc_carry() returns with the carry flag set, and kc_carry_call() gives
 * the carry it came back with: in assembly, so that nothing the compiler
 * does between the return and the setc touches the flags. The call steps
 * over a red zone the compiler may use, on a stack aligned as the ABI
 * wants.
 */
asm(".pushsection .text, \"ax\"\n"
	".type kc_carry, @function\n"
	"kc_carry:\n"
	"	stc\n"
	"	ret\n"
	".size kc_carry, .-kc_carry\n"
	".popsection\n");

static noinline int kc_carry_call(void)
{
	unsigned long sp;
	u8 carry;

	asm volatile("mov %%rsp, %1\n\t"
		     "lea -128(%%rsp), %%rsp\n\t"
		     "and $-16, %%rsp\n\t"
		     "call kc_carry\n\t"
		     "setc %0\n\t"
		     "mov %1, %%rsp"
		     : "=&q" (carry), "=&r" (sp) : : "cc", "memory");
	return carry;
}

static bool kc_clear_carry;
static int kc_seen_carry;

static int kc_carry_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	kc_seen_carry = !!(PT_REGS_EFLAGS(regs) & X86_EFLAGS_CF);
	if (kc_clear_carry)
		PT_REGS_EFLAGS(regs) &= ~X86_EFLAGS_CF;
	return 0;
}

static ssize_t flags_read(struct file *file, char __user *buf, size_t len,
			  loff_t *ppos)
{
	struct kretprobe rp = {
		.kp.symbol_name = "kc_carry",
		.handler = kc_carry_return,
		.maxactive = 1,
	};
	int caller, cleared, ret, n;
	char s[16];

	if (*ppos)
		return 0;
	ret = register_kretprobe(&rp);
	if (ret)
		return ret;
	kc_clear_carry = false;
	caller = kc_carry_call();
	kc_clear_carry = true;
	cleared = kc_carry_call();
	unregister_kretprobe(&rp);
	n = scnprintf(s, sizeof(s), "%d %d %d\n", kc_seen_carry, caller, cleared);
	return simple_read_from_buffer(buf, len, ppos, s, n);
}

static const struct file_operations counts_fops = { .read = counts_read };
static const struct file_operations loop_fops = { .write = loop_write };
static const struct file_operations walk_fops = {
	.read = walk_read,
	.write = walk_write,
};
static const struct file_operations cpus_fops = {
	.read = cpus_read,
	.write = cpus_write,
};
static const struct file_operations try_fops = { .write = try_write };
static const struct file_operations bytes_fops = { .read = bytes_read };
static const struct file_operations flags_fops = { .read = flags_read };

static int __init kprobe_check_init(void)
{
	int ret;

	ret = register_kprobe(&kc_probe);
	if (ret) {
		pr_err("register_kprobe(%s) failed: %d\n", PROBED, ret);
		return ret;
	}
	/* what was there before the int3, as the probe saved it */
	bytes_before[0] = kc_probe.opcode;
	if (copy_from_kernel_nofault(bytes_before + 1,
				     (u8 *)kc_probe.addr + 1,
				     sizeof(bytes_before) - 1)) {
		ret = -EFAULT;
		goto err_unregister_kprobe;
	}
	ret = register_kretprobe(&kc_retprobe);
	if (ret) {
		pr_err("register_kretprobe(%s) failed: %d\n", PROBED, ret);
		goto err_unregister_kprobe;
	}
	ret = register_kprobe(&kc_tick_probe);
	if (ret) {
		pr_err("register_kprobe(%s) failed: %d\n",
		       kc_tick_probe.symbol_name, ret);
		goto err_unregister_kretprobe;
	}

	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("counts", 0444, dir, NULL, &counts_fops);
	debugfs_create_file("loop", 0200, dir, NULL, &loop_fops);
	debugfs_create_file("walk", 0600, dir, NULL, &walk_fops);
	debugfs_create_file("cpus", 0600, dir, NULL, &cpus_fops);
	debugfs_create_file("try", 0200, dir, NULL, &try_fops);
	debugfs_create_file("bytes", 0444, dir, NULL, &bytes_fops);
	debugfs_create_file("flags", 0444, dir, NULL, &flags_fops);
	pr_info("probes on %pS, counting opens of %s; before: %*phN\n",
		kc_probe.addr, path, (int)sizeof(bytes_before), bytes_before);
	return 0;

err_unregister_kretprobe:
	unregister_kretprobe(&kc_retprobe);
err_unregister_kprobe:
	unregister_kprobe(&kc_probe);
	return ret;
}

static void __exit kprobe_check_exit(void)
{
	debugfs_remove(dir);
	unregister_kprobe(&kc_tick_probe);
	unregister_kretprobe(&kc_retprobe);
	unregister_kprobe(&kc_probe);
	pr_info("probes removed\n");
}

module_init(kprobe_check_init);
module_exit(kprobe_check_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("umlab");
MODULE_DESCRIPTION("kprobes and kretprobes put through their paces");
