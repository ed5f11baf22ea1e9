// SPDX-License-Identifier: GPL-2.0
/*
 * smprace - what more than one CPU changes, seen from a module.
 *
 * Teaches: kthreads bound to a CPU (kthread_create_on_cpu), a lost update
 * when two CPUs do a read-modify-write of one counter without a lock, and
 * the same count exact with a spinlock or an atomic_t; per-CPU counters
 * (DEFINE_PER_CPU, this_cpu_inc, per_cpu) summed over the CPUs; a work
 * item run on the CPU it was queued on (queue_work_on), and an unbound
 * workqueue (WQ_UNBOUND) whose items run wherever the scheduler finds room;
 * and a lock order inversion taken on two CPUs (abba), one after the other
 * so that it never deadlocks, which lockdep reports all the same.
 *
 * In the lab, with two virtual CPUs (./run.sh --kernel 7.3 --cpus 2):
 *   insmod /lab/build/7.3/smp/modules/smprace/smprace.ko
 *   echo none > /sys/kernel/debug/smprace/run       (or spinlock, atomic, abba)
 *   cat /sys/kernel/debug/smprace/result
 *   echo 1 > /sys/kernel/debug/smprace/work_on      (queue_work_on CPU 1)
 *   echo 8 > /sys/kernel/debug/smprace/unbound      (8 unbound work items)
 *   cat /sys/kernel/debug/smprace/result
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#define SMPRACE_MAX_WORK	64

static unsigned int loops = 200000;
module_param(loops, uint, 0444);
MODULE_PARM_DESC(loops, "increments each of the two threads makes");

enum smprace_mode { SMPRACE_NONE, SMPRACE_SPINLOCK, SMPRACE_ATOMIC, SMPRACE_ABBA };
static const char * const smprace_modes[] = { "none", "spinlock", "atomic", "abba" };

static unsigned long plain_count;	/* guarded by count_lock, or not */
static DEFINE_SPINLOCK(count_lock);
static DEFINE_MUTEX(lock_a);		/* abba: CPU 0 takes a, then b */
static DEFINE_MUTEX(lock_b);		/* abba: CPU 1 takes b, then a */
static atomic_t atomic_count;
static DEFINE_PER_CPU(unsigned long, cpu_hits);

static DEFINE_MUTEX(run_lock);		/* one experiment at a time */
static char result[512];
static struct dentry *smprace_dir;
static struct workqueue_struct *smprace_unbound_wq;

struct smprace_thread {
	enum smprace_mode mode;
	struct completion done;
};

/*
 * One thread's increments. Without a lock, the read and the write of the
 * count are apart (as any read-modify-write is, here made wider): when
 * the other CPU writes in between, one of the two updates is lost.
 */
static int smprace_thread_fn(void *data)
{
	struct smprace_thread *t = data;
	unsigned long v;
	unsigned int i;

	if (t->mode == SMPRACE_ABBA) {
		/* the wrong order on one of the CPUs: lockdep's business */
		bool first = raw_smp_processor_id() == 0;

		mutex_lock(first ? &lock_a : &lock_b);
		mutex_lock(first ? &lock_b : &lock_a);
		this_cpu_inc(cpu_hits);
		mutex_unlock(first ? &lock_b : &lock_a);
		mutex_unlock(first ? &lock_a : &lock_b);
		goto done;
	}
	for (i = 0; i < loops; i++) {
		switch (t->mode) {
		case SMPRACE_NONE:
			v = READ_ONCE(plain_count);
			ndelay(20);
			WRITE_ONCE(plain_count, v + 1);
			break;
		case SMPRACE_SPINLOCK:
			spin_lock(&count_lock);
			v = plain_count;
			ndelay(20);
			plain_count = v + 1;
			spin_unlock(&count_lock);
			break;
		case SMPRACE_ATOMIC:
			ndelay(20);
			atomic_inc(&atomic_count);
			break;
		default:
			break;
		}
		this_cpu_inc(cpu_hits);
		if (!(i % 1024))
			cond_resched();
	}
done:
	complete(&t->done);
	/* a bound kthread stops only when told to */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

/* Two threads, on CPU 0 and CPU 1, counting in MODE: the count they get. */
static int smprace_run(enum smprace_mode mode)
{
	struct smprace_thread t[2];
	struct task_struct *task[2];
	unsigned long got, hits[2] = { 0, 0 };
	int cpu, i, n;

	if (num_online_cpus() < 2)
		return -EOPNOTSUPP;
	plain_count = 0;
	atomic_set(&atomic_count, 0);
	for_each_possible_cpu(cpu)
		per_cpu(cpu_hits, cpu) = 0;

	for (i = 0; i < 2; i++) {
		t[i].mode = mode;
		init_completion(&t[i].done);
		task[i] = kthread_create_on_cpu(smprace_thread_fn, &t[i], i,
						"smprace/%u");
		if (IS_ERR(task[i])) {
			int err = PTR_ERR(task[i]);

			while (i--)
				kthread_stop(task[i]);
			return err;
		}
	}
	/* abba: one CPU after the other, which never deadlocks */
	for (i = 0; i < 2; i++) {
		wake_up_process(task[i]);
		if (mode == SMPRACE_ABBA)
			wait_for_completion(&t[i].done);
	}
	for (i = 0; i < 2; i++) {
		if (mode != SMPRACE_ABBA)
			wait_for_completion(&t[i].done);
		kthread_stop(task[i]);
	}
	if (mode == SMPRACE_ABBA) {
		scnprintf(result, sizeof(result),
			  "abba: cpu0 took a then b, cpu1 b then a: %lu %lu\n",
			  per_cpu(cpu_hits, 0), per_cpu(cpu_hits, 1));
		pr_info("%s", result);
		return 0;
	}

	got = mode == SMPRACE_ATOMIC ? atomic_read(&atomic_count) : plain_count;
	for (i = 0; i < 2; i++)
		hits[i] = per_cpu(cpu_hits, i);
	n = scnprintf(result, sizeof(result),
		      "mode %s expected %lu got %lu lost %lu\n",
		      smprace_modes[mode], 2UL * loops, got, 2UL * loops - got);
	scnprintf(result + n, sizeof(result) - n,
		  "per-cpu hits cpu0 %lu cpu1 %lu sum %lu\n",
		  hits[0], hits[1], hits[0] + hits[1]);
	pr_info("%s", result);
	return 0;
}

struct smprace_work {
	struct work_struct work;
	int cpu;		/* where it ran */
	bool busy;		/* stay on the CPU a while */
};

static void smprace_work_fn(struct work_struct *work)
{
	struct smprace_work *w = container_of(work, struct smprace_work, work);

	w->cpu = raw_smp_processor_id();
	if (w->busy)
		mdelay(20);
}

/* A work item queued on CPU: where it ran. */
static int smprace_work_on(unsigned int cpu)
{
	struct smprace_work w = { .cpu = -1 };

	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	INIT_WORK_ONSTACK(&w.work, smprace_work_fn);
	queue_work_on(cpu, system_wq, &w.work);
	flush_work(&w.work);
	destroy_work_on_stack(&w.work);
	scnprintf(result, sizeof(result), "work queued on cpu %u ran on cpu %d\n",
		  cpu, w.cpu);
	pr_info("%s", result);
	return 0;
}

/* N busy work items on an unbound workqueue: on how many CPUs they ran. */
static int smprace_unbound(unsigned int n)
{
	struct smprace_work *w;
	unsigned int i, ran_on[2] = { 0, 0 }, elsewhere = 0;

	if (!n || n > SMPRACE_MAX_WORK)
		return -EINVAL;
	w = kcalloc(n, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		INIT_WORK(&w[i].work, smprace_work_fn);
		w[i].busy = true;
		queue_work(smprace_unbound_wq, &w[i].work);
	}
	flush_workqueue(smprace_unbound_wq);
	for (i = 0; i < n; i++) {
		if (w[i].cpu == 0 || w[i].cpu == 1)
			ran_on[w[i].cpu]++;
		else
			elsewhere++;
	}
	kfree(w);
	scnprintf(result, sizeof(result),
		  "unbound %u items ran on cpu0 %u cpu1 %u other %u\n",
		  n, ran_on[0], ran_on[1], elsewhere);
	pr_info("%s", result);
	return 0;
}

/* Each control file takes its argument as text: a mode, a CPU, a count. */
static ssize_t smprace_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	const char *what = file->private_data;
	char buf[16];
	unsigned int n;
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	strim(buf);

	mutex_lock(&run_lock);
	if (!strcmp(what, "run")) {
		ret = sysfs_match_string(smprace_modes, buf);
		if (ret >= 0)
			ret = smprace_run(ret);
	} else {
		ret = kstrtouint(buf, 0, &n);
		if (!ret && !strcmp(what, "work_on"))
			ret = smprace_work_on(n);
		else if (!ret)
			ret = smprace_unbound(n);
	}
	mutex_unlock(&run_lock);
	return ret ? ret : count;
}

static const struct file_operations smprace_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = smprace_write,
};

static ssize_t smprace_result_read(struct file *file, char __user *buf,
				   size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&run_lock);
	ret = simple_read_from_buffer(buf, count, ppos, result, strlen(result));
	mutex_unlock(&run_lock);
	return ret;
}

static const struct file_operations smprace_result_fops = {
	.owner = THIS_MODULE,
	.read = smprace_result_read,
};

static int __init smprace_init(void)
{
	smprace_unbound_wq = alloc_workqueue("smprace", WQ_UNBOUND, 0);
	if (!smprace_unbound_wq)
		return -ENOMEM;
	smprace_dir = debugfs_create_dir("smprace", NULL);
	debugfs_create_file("run", 0200, smprace_dir, "run", &smprace_ctl_fops);
	debugfs_create_file("work_on", 0200, smprace_dir, "work_on",
			    &smprace_ctl_fops);
	debugfs_create_file("unbound", 0200, smprace_dir, "unbound",
			    &smprace_ctl_fops);
	debugfs_create_file("result", 0400, smprace_dir, NULL,
			    &smprace_result_fops);
	pr_info("loaded, %u CPUs online\n", num_online_cpus());
	return 0;
}

static void __exit smprace_exit(void)
{
	debugfs_remove_recursive(smprace_dir);
	destroy_workqueue(smprace_unbound_wq);
}

module_init(smprace_init);
module_exit(smprace_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lost updates, per-CPU data and workqueues on more than one CPU");
