// SPDX-License-Identifier: GPL-2.0
/*
 * trapcost - the two ways a UML kernel can take a system call from one of
 * its processes, reduced to the bare round trip on this host, both with
 * the supervisor and the traced process on one CPU:
 *   ptrace_ns   PTRACE_SYSEMU: the process stops at the call, the
 *               supervisor wakes in waitpid(), reads and writes the
 *               registers (PTRACE_GETREGS, PTRACE_SETREGS) and resumes
 *               it. UML 6.12 does this for every guest system call.
 *   seccomp_ns  a seccomp filter returns SECCOMP_RET_TRAP: the host
 *               delivers SIGSYS to the process itself, whose handler puts
 *               the registers in a shared page, wakes the supervisor with
 *               a futex and sleeps on another until the answer is there,
 *               then returns through sigreturn. UML's seccomp mode (Linux
 *               6.15 and later) works this way.
 * Neither does any work for the call: the figures are the floor of each
 * mechanism, the question being whether the seccomp mode would be worth
 * taking back to 6.12 on this kind of host (where a signal frame carries
 * the whole XSAVE area, 11 KiB with AMX).
 *
 * usage: trapcost [N]   (N round trips of each; default 20000)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "bench.h"

#define TRAPPED_NR SYS_getppid

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double ptrace_rtt(long n)
{
	struct user_regs_struct regs;
	double t0 = 0;
	int status;
	long i;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		for (i = 0; i <= n; i++)
			syscall(TRAPPED_NR);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		die("waitpid");
	ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)PTRACE_O_EXITKILL);
	for (i = 0; i <= n; i++) {
		if (ptrace(PTRACE_SYSEMU, pid, NULL, NULL))
			die("PTRACE_SYSEMU");
		if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
			die("waitpid");
		if (i == 0)
			t0 = now();	/* the first stop: the loop has begun */
		if (ptrace(PTRACE_GETREGS, pid, NULL, &regs))
			die("PTRACE_GETREGS");
		regs.rax = 1;
		if (ptrace(PTRACE_SETREGS, pid, NULL, &regs))
			die("PTRACE_SETREGS");
	}
	t0 = (now() - t0) / n;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return t0;
}

/* the page the process and its supervisor share */
struct shared {
	int to_supervisor, to_process;
	unsigned long long regs[NGREG];
};
static struct shared *sh;

static long futex(int *word, int op, int val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* wait_for WORD: sleep until *WORD is 1, then clear it */
static void wait_for(int *word)
{
	while (!__atomic_exchange_n(word, 0, __ATOMIC_ACQUIRE))
		if (futex(word, FUTEX_WAIT, 0) && errno != EAGAIN && errno != EINTR)
			die("FUTEX_WAIT");
}

static void wake(int *word)
{
	__atomic_store_n(word, 1, __ATOMIC_RELEASE);
	futex(word, FUTEX_WAKE, 1);
}

static void on_sigsys(int sig, siginfo_t *info, void *uc_)
{
	ucontext_t *uc = uc_;

	memcpy(sh->regs, uc->uc_mcontext.gregs, sizeof(sh->regs));
	wake(&sh->to_supervisor);
	wait_for(&sh->to_process);
	uc->uc_mcontext.gregs[REG_RAX] = sh->regs[REG_RAX];
}

static double seccomp_rtt(long n)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TRAPPED_NR, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = filter };
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	double t0 = 0;
	int status;
	long i;
	pid_t pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (sigaction(SIGSYS, &sa, NULL) ||
		    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
			die("seccomp");
		for (i = 0; i <= n; i++)
			if (syscall(TRAPPED_NR) != 1)
				_exit(1);
		_exit(0);
	}
	for (i = 0; i <= n; i++) {
		wait_for(&sh->to_supervisor);
		if (i == 0)
			t0 = now();
		sh->regs[REG_RAX] = 1;
		wake(&sh->to_process);
	}
	t0 = (now() - t0) / n;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("the seccomp child failed");
	munmap(sh, sizeof(*sh));
	return t0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;

	if (n < 1)
		n = 1;
	one_cpu();
	printf("ptrace_ns %.0f\n", ptrace_rtt(n));
	printf("seccomp_ns %.0f\n", seccomp_rtt(n));
	return 0;
}
