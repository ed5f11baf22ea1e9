// SPDX-License-Identifier: GPL-2.0
/*
 * fpstate - does the guest kernel keep each task's FP/vector registers?
 *
 * UML saves and restores a guest task's registers through ptrace on every
 * switch. This loads known values into every vector register the CPU has
 * (zmm0-31 and k1-7 with AVX-512, else ymm0-15 with AVX, else xmm0-15) and
 * into MXCSR, makes a system call that lets the kernel switch away, and
 * reads them all back, in one asm block so the compiler cannot touch them:
 *
 *   threads  two threads of one process, each yielding to the other
 *   signal   a signal whose handler loads other values into all of them
 *   fork     fork(): parent and child both come back with them
 *   exec     execve(): the new program starts with the default MXCSR
 *   ptrace   a tracer reads a stopped child's xmm0 and MXCSR with
 *            PTRACE_GETFPREGS, writes another xmm0 with PTRACE_SETFPREGS,
 *            and the child comes back with that one
 *
 * usage: fpstate [threads|signal|fork|exec|ptrace|all] [ITERATIONS]
 * Exit status 0 when every register came back as it was, 1 otherwise.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

/* Register file image: 32 x 64-byte vectors, 8 opmasks, MXCSR. */
struct regs {
	uint8_t vec[32][64];
	uint64_t k[8];
	uint32_t mxcsr;
} __attribute__((aligned(64)));

enum level { LEVEL_SSE, LEVEL_AVX, LEVEL_AVX512 };

static enum level level;
static int nvec;	/* vector registers at this level */
static int vbytes;	/* bytes of each that we check */

/* MXCSR with all exceptions masked and round-toward-zero (not the default) */
#define MXCSR_TEST	0x7f80
#define MXCSR_DEFAULT	0x1f80

/*
 * Load @in, make syscall @nr(a1, a2, a3), store to @out. One variant per
 * level; each is compiled for its ISA only, and only called when the CPU
 * and the kernel enable it.
 */
#define VEC_LIST16 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"
#define VEC_LIST32 VEC_LIST16 ",16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"
#define XMM_CLOBBER16 "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", \
	"xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", \
	"xmm15"
#define XMM_CLOBBER32 XMM_CLOBBER16, "xmm16", "xmm17", "xmm18", "xmm19", \
	"xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", \
	"xmm27", "xmm28", "xmm29", "xmm30", "xmm31"

__attribute__((target("avx512f")))
static long syscall_avx512(const struct regs *in, struct regs *out,
			   long nr, long a1, long a2, long a3)
{
	register long r10 asm("r10") = 0;

	asm volatile(".irp i," VEC_LIST32 "\n\t"
		     "vmovdqu64 \\i*64(%[in]), %%zmm\\i\n\t"
		     ".endr\n\t"
		     ".irp i,1,2,3,4,5,6,7\n\t"
		     "kmovw 2048+\\i*8(%[in]), %%k\\i\n\t"
		     ".endr\n\t"
		     "ldmxcsr 2112(%[in])\n\t"
		     "syscall\n\t"
		     ".irp i," VEC_LIST32 "\n\t"
		     "vmovdqu64 %%zmm\\i, \\i*64(%[out])\n\t"
		     ".endr\n\t"
		     ".irp i,1,2,3,4,5,6,7\n\t"
		     "kmovw %%k\\i, 2048+\\i*8(%[out])\n\t"
		     ".endr\n\t"
		     "stmxcsr 2112(%[out])\n\t"
		     : "+a"(nr), "+r"(r10)
		     : [in] "r"(in), [out] "r"(out), "D"(a1), "S"(a2), "d"(a3)
		     : "rcx", "r11", "memory", XMM_CLOBBER32,
		       "k1", "k2", "k3", "k4", "k5", "k6", "k7");
	return nr;
}

__attribute__((target("avx")))
static long syscall_avx(const struct regs *in, struct regs *out,
			long nr, long a1, long a2, long a3)
{
	register long r10 asm("r10") = 0;

	asm volatile(".irp i," VEC_LIST16 "\n\t"
		     "vmovdqu \\i*64(%[in]), %%ymm\\i\n\t"
		     ".endr\n\t"
		     "ldmxcsr 2112(%[in])\n\t"
		     "syscall\n\t"
		     ".irp i," VEC_LIST16 "\n\t"
		     "vmovdqu %%ymm\\i, \\i*64(%[out])\n\t"
		     ".endr\n\t"
		     "stmxcsr 2112(%[out])\n\t"
		     : "+a"(nr), "+r"(r10)
		     : [in] "r"(in), [out] "r"(out), "D"(a1), "S"(a2), "d"(a3)
		     : "rcx", "r11", "memory", XMM_CLOBBER16);
	return nr;
}

static long syscall_sse(const struct regs *in, struct regs *out,
			long nr, long a1, long a2, long a3)
{
	register long r10 asm("r10") = 0;

	asm volatile(".irp i," VEC_LIST16 "\n\t"
		     "movdqu \\i*64(%[in]), %%xmm\\i\n\t"
		     ".endr\n\t"
		     "ldmxcsr 2112(%[in])\n\t"
		     "syscall\n\t"
		     ".irp i," VEC_LIST16 "\n\t"
		     "movdqu %%xmm\\i, \\i*64(%[out])\n\t"
		     ".endr\n\t"
		     "stmxcsr 2112(%[out])\n\t"
		     : "+a"(nr), "+r"(r10)
		     : [in] "r"(in), [out] "r"(out), "D"(a1), "S"(a2), "d"(a3)
		     : "rcx", "r11", "memory", XMM_CLOBBER16);
	return nr;
}

static long syscall_with_regs(const struct regs *in, struct regs *out,
			      long nr, long a1, long a2, long a3)
{
	switch (level) {
	case LEVEL_AVX512:
		return syscall_avx512(in, out, nr, a1, a2, a3);
	case LEVEL_AVX:
		return syscall_avx(in, out, nr, a1, a2, a3);
	default:
		return syscall_sse(in, out, nr, a1, a2, a3);
	}
}

static void detect_level(void)
{
	unsigned int a, b, c, d;
	uint64_t xcr0 = 0;

	level = LEVEL_SSE;
	__cpuid(1, a, b, c, d);
	if (c & bit_OSXSAVE) {
		unsigned int lo, hi;

		asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = ((uint64_t)hi << 32) | lo;
	}
	if ((c & bit_AVX) && (xcr0 & 0x6) == 0x6)
		level = LEVEL_AVX;
	__cpuid_count(7, 0, a, b, c, d);
	if (level == LEVEL_AVX && (b & bit_AVX512F) && (xcr0 & 0xe0) == 0xe0)
		level = LEVEL_AVX512;

	nvec = level == LEVEL_AVX512 ? 32 : 16;
	vbytes = level == LEVEL_AVX512 ? 64 : level == LEVEL_AVX ? 32 : 16;
}

static const char *level_name(void)
{
	switch (level) {
	case LEVEL_AVX512:
		return "AVX-512: zmm0-31, k1-7, MXCSR";
	case LEVEL_AVX:
		return "AVX: ymm0-15, MXCSR";
	default:
		return "SSE: xmm0-15, MXCSR";
	}
}

/* A pattern unique to (seed, register, byte), never all zero. */
static void fill(struct regs *r, uint32_t seed)
{
	int i, j;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 32; i++)
		for (j = 0; j < 64; j++)
			r->vec[i][j] = (uint8_t)(seed * 131 + i * 17 + j * 7 + 1);
	for (i = 1; i < 8; i++)
		r->k[i] = (uint16_t)(seed * 2654435761u + i);
	r->mxcsr = MXCSR_TEST;
}

/* Compare what we checked; report the first difference. */
static int same(const struct regs *want, const struct regs *got,
		const char *what, long iter)
{
	int i, j;

	for (i = 0; i < nvec; i++) {
		for (j = 0; j < vbytes; j++) {
			if (want->vec[i][j] == got->vec[i][j])
				continue;
			fprintf(stderr,
				"fpstate: %s, iteration %ld: vector register %d changed (byte %d: want %#x, got %#x)\n",
				what, iter, i, j, want->vec[i][j], got->vec[i][j]);
			return 0;
		}
	}
	if (level == LEVEL_AVX512) {
		for (i = 1; i < 8; i++) {
			if (want->k[i] != got->k[i]) {
				fprintf(stderr,
					"fpstate: %s, iteration %ld: k%d changed (want %#llx, got %#llx)\n",
					what, iter, i,
					(unsigned long long)want->k[i],
					(unsigned long long)got->k[i]);
				return 0;
			}
		}
	}
	if (want->mxcsr != got->mxcsr) {
		fprintf(stderr, "fpstate: %s, iteration %ld: MXCSR changed (want %#x, got %#x)\n",
			what, iter, want->mxcsr, got->mxcsr);
		return 0;
	}
	return 1;
}

static long iterations = 2000;

/* --- threads ----------------------------------------------------------- */

static void *thread_fn(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg;
	struct regs *in = aligned_alloc(64, sizeof(*in));
	struct regs *out = aligned_alloc(64, sizeof(*out));
	long i, ok = 1;

	for (i = 0; i < iterations && ok; i++) {
		fill(in, id * 100003 + i);
		syscall_with_regs(in, out, SYS_sched_yield, 0, 0, 0);
		ok = same(in, out, id ? "thread B" : "thread A", i);
	}
	free(in);
	free(out);
	return (void *)ok;
}

static int test_threads(void)
{
	pthread_t t[2];
	void *ok[2];
	int i;

	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, thread_fn, (void *)(uintptr_t)i)) {
			perror("fpstate: pthread_create");
			return 0;
		}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], &ok[i]);
	return ok[0] && ok[1];
}

/* --- signals ----------------------------------------------------------- */

static volatile sig_atomic_t handled;
static struct regs *clobber_in, *clobber_out;

static void clobber_handler(int sig)
{
	(void)sig;
	/* getpid() with every register loaded with the handler's values */
	syscall_with_regs(clobber_in, clobber_out, SYS_getpid, 0, 0, 0);
	handled++;
}

static int test_signal(void)
{
	struct regs *in = aligned_alloc(64, sizeof(*in));
	struct regs *out = aligned_alloc(64, sizeof(*out));
	struct sigaction sa = { .sa_handler = clobber_handler };
	long i, ok = 1;

	clobber_in = aligned_alloc(64, sizeof(*clobber_in));
	clobber_out = aligned_alloc(64, sizeof(*clobber_out));
	fill(clobber_in, 0xbad5eed);
	clobber_in->mxcsr = MXCSR_DEFAULT;
	sigaction(SIGUSR1, &sa, NULL);

	for (i = 0; i < iterations && ok; i++) {
		sig_atomic_t before = handled;

		fill(in, 7 + i);
		/* kill(getpid(), SIGUSR1): the handler runs on the way out */
		syscall_with_regs(in, out, SYS_kill, getpid(), SIGUSR1, 0);
		if (handled != before + 1) {
			fprintf(stderr, "fpstate: signal, iteration %ld: the handler did not run\n",
				i);
			ok = 0;
			break;
		}
		ok = same(in, out, "signal", i);
	}
	free(in);
	free(out);
	return ok;
}

/* --- fork ------------------------------------------------------------- */

static int test_fork(void)
{
	struct regs *in = aligned_alloc(64, sizeof(*in));
	struct regs *out = aligned_alloc(64, sizeof(*out));
	long i, ok = 1;

	for (i = 0; i < iterations / 10 + 1 && ok; i++) {
		int status;
		long pid;

		fill(in, 31 + i);
		pid = syscall_with_regs(in, out, SYS_fork, 0, 0, 0);
		if (pid == 0)
			_exit(same(in, out, "fork, in the child", i) ? 0 : 1);
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			perror("fpstate: fork");
			return 0;
		}
		ok = same(in, out, "fork, in the parent", i) &&
		     WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	free(in);
	free(out);
	return ok;
}

/* --- exec ------------------------------------------------------------- */

/* In the program execve() started: the FP state is the initial one. */
static int exec_child(void)
{
	uint32_t mxcsr;

	asm volatile("stmxcsr %0" : "=m"(mxcsr));
	if (mxcsr != MXCSR_DEFAULT) {
		fprintf(stderr, "fpstate: exec: MXCSR %#x after execve, want %#x\n",
			mxcsr, MXCSR_DEFAULT);
		return 1;
	}
	return 0;
}

static int test_exec(const char *self)
{
	struct regs *in = aligned_alloc(64, sizeof(*in));
	struct regs *out = aligned_alloc(64, sizeof(*out));
	char *argv[] = { (char *)self, "exec-child", NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		/* MXCSR_TEST in MXCSR, then execve() with it loaded */
		fill(in, 99);
		syscall_with_regs(in, out, SYS_execve, (long)self, (long)argv,
				  (long)environ);
		perror("fpstate: execve");
		_exit(2);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	free(in);
	free(out);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* --- ptrace ----------------------------------------------------------- */

static int test_ptrace(void)
{
	struct regs *in = aligned_alloc(64, sizeof(*in));
	struct regs *out = aligned_alloc(64, sizeof(*out));
	struct user_fpregs_struct fp;
	int status, ok = 1;
	pid_t pid;

	fill(in, 4242);
	pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		/* stop with the pattern loaded; come back with the tracer's */
		syscall_with_regs(in, out, SYS_kill, getpid(), SIGSTOP, 0);
		memset(in->vec[0], 0x5a, 16);
		_exit(memcmp(in->vec[0], out->vec[0], 16) ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
		perror("fpstate: ptrace: the child did not stop");
		return 0;
	}
	if (ptrace(PTRACE_GETFPREGS, pid, 0, &fp)) {
		perror("fpstate: PTRACE_GETFPREGS");
		ok = 0;
	} else if (memcmp(fp.xmm_space, in->vec[0], 16) || fp.mxcsr != MXCSR_TEST) {
		fprintf(stderr, "fpstate: ptrace: PTRACE_GETFPREGS does not show the child's xmm0 and MXCSR (mxcsr %#x)\n",
			fp.mxcsr);
		ok = 0;
	} else {
		memset(fp.xmm_space, 0x5a, 16);
		if (ptrace(PTRACE_SETFPREGS, pid, 0, &fp)) {
			perror("fpstate: PTRACE_SETFPREGS");
			ok = 0;
		}
	}
	ptrace(PTRACE_CONT, pid, 0, 0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		if (ok)
			fprintf(stderr, "fpstate: ptrace: the child did not get the xmm0 PTRACE_SETFPREGS wrote\n");
		ok = 0;
	}
	free(in);
	free(out);
	return ok;
}

int main(int argc, char **argv)
{
	static const char * const tests[] = {
		"threads", "signal", "fork", "exec", "ptrace",
	};
	const char *what = argc > 1 ? argv[1] : "all";
	int ok = 1, r, i, known = !strcmp(what, "all");

	if (!strcmp(what, "exec-child"))
		return exec_child();
	if (argc > 2)
		iterations = atol(argv[2]);
	for (i = 0; i < 5; i++)
		known |= !strcmp(what, tests[i]);
	if (iterations <= 0 || !known) {
		fprintf(stderr, "usage: fpstate [threads|signal|fork|exec|ptrace|all] [ITERATIONS]\n");
		return 2;
	}

	detect_level();
	printf("fpstate: checking %s\n", level_name());
	for (i = 0; i < 5; i++) {
		if (strcmp(what, "all") && strcmp(what, tests[i]))
			continue;
		switch (i) {
		case 0:
			r = test_threads();
			break;
		case 1:
			r = test_signal();
			break;
		case 2:
			r = test_fork();
			break;
		case 3:
			r = test_exec(argv[0]);
			break;
		default:
			r = test_ptrace();
			break;
		}
		printf("fpstate: %s: %s\n", tests[i], r ? "ok" : "FAILED");
		ok &= r;
	}
	return ok ? 0 : 1;
}
