// SPDX-License-Identifier: GPL-2.0
/*
 * init - PID 1 of the umlab guest (static, built by scripts/mkrootfs.sh).
 *
 * Mounts what /etc/fstab lists and the shared directories, then does what
 * run.sh asked for on the kernel command line, reports the exit status on
 * /dev/tty1 (a file on the host) and powers off. A program rather than a
 * script: every process the guest starts is a host process and a ptrace
 * round trip per system call, so init starts none of its own.
 *
 * Words of the kernel command line it reads:
 *   umlab.mode=shell|stdin|cmd  interactive shell, commands from the
 *                               input, or one command
 *   umlab.argv=HEX              mode=cmd: the command's arguments, each
 *                               ended by a NUL byte, in hex
 *   umlab.tty=1                 mode=cmd: the console is the user's
 *                               terminal; Ctrl-C interrupts the command
 *   umlab.build=DIR             the profile's build directory, as
 *                               $UMLAB_BUILD for the guest's commands
 *   umlab.share=DIR:AT          mount host directory DIR at AT (hostfs)
 *   umlab.stdin=BYTES           host stdin was not a terminal: what it
 *                               held is the first BYTES of /dev/ubdb
 *
 * poweroff, halt and reboot (busybox signals PID 1: SIGUSR2, SIGUSR1,
 * SIGTERM) end every process and power off with status 0; reboot does not
 * boot again. A command's own status is what run.sh exits with.
 */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_SHARES 16
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *mode = "shell";
static char *argv64;
static int cmd_tty;
static long stdin_bytes = -1;
static char *shares[MAX_SHARES];
static int nr_shares;
static char *build_dir;

/* the signals PID 1 waits for: the power signals and SIGCHLD */
static sigset_t waited;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("umlab: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		say("cannot write %s: %s", path, strerror(errno));
	close(fd);
}

/* Report the status on tty1 for run.sh, then power off. */
static void finish(int status) __attribute__((noreturn));
static void finish(int status)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "umlab-exit %d\n", status);
	write_file("/dev/tty1", buf);
	/* quiet from here on: no "reboot: Power down" on the console */
	write_file("/proc/sys/kernel/printk", "0");
	snprintf(buf, sizeof(buf), "%d", status);
	write_file("/proc/exitcode", buf);
	sync();
	reboot(RB_POWER_OFF);
	_exit(status);
}

static void mkdir_p(const char *path)
{
	char buf[4096];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	mkdir(buf, 0755);
}

/* mount -a, for the few options /etc/fstab uses */
static void mount_fstab(void)
{
	static const struct { const char *name; unsigned long flag; } flags[] = {
		{ "ro", MS_RDONLY }, { "nosuid", MS_NOSUID }, { "nodev", MS_NODEV },
		{ "noexec", MS_NOEXEC }, { "relatime", MS_RELATIME },
		{ "noatime", MS_NOATIME },
	};
	struct mntent *m;
	FILE *f = setmntent("/etc/fstab", "r");

	if (!f) {
		say("no /etc/fstab: %s", strerror(errno));
		return;
	}
	while ((m = getmntent(f))) {
		char data[256] = "", *opt, *save = NULL, opts[256];
		unsigned long mflags = 0;
		size_t i;

		snprintf(opts, sizeof(opts), "%s", m->mnt_opts);
		for (opt = strtok_r(opts, ",", &save); opt;
		     opt = strtok_r(NULL, ",", &save)) {
			for (i = 0; i < ARRAY_SIZE(flags); i++)
				if (!strcmp(opt, flags[i].name))
					break;
			if (i < ARRAY_SIZE(flags))
				mflags |= flags[i].flag;
			else if (strcmp(opt, "defaults") && strcmp(opt, "rw"))
				snprintf(data + strlen(data), sizeof(data) - strlen(data),
					 "%s%s", *data ? "," : "", opt);
		}
		if (mount(m->mnt_fsname, m->mnt_dir, m->mnt_type, mflags,
			  *data ? data : NULL))
			say("cannot mount %s on %s: %s", m->mnt_type, m->mnt_dir,
			    strerror(errno));
	}
	endmntent(f);
}

static void set_hostname(void)
{
	char name[65] = "";
	FILE *f = fopen("/etc/hostname", "r");

	if (!f)
		return;
	if (fgets(name, sizeof(name), f)) {
		name[strcspn(name, "\n")] = '\0';
		sethostname(name, strlen(name));
	}
	fclose(f);
}

static void read_cmdline(void)
{
	static char line[8192];
	char *word, *save = NULL;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(line, sizeof(line), f)) {
		say("cannot read /proc/cmdline");
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	for (word = strtok_r(line, "\n ", &save); word;
	     word = strtok_r(NULL, "\n ", &save)) {
		if (!strncmp(word, "umlab.mode=", 11))
			mode = word + 11;
		else if (!strncmp(word, "umlab.argv=", 11))
			argv64 = word + 11;
		else if (!strcmp(word, "umlab.tty=1"))
			cmd_tty = 1;
		else if (!strncmp(word, "umlab.build=", 12))
			build_dir = word + 12;
		else if (!strncmp(word, "umlab.stdin=", 12))
			stdin_bytes = atol(word + 12);
		else if (!strncmp(word, "umlab.share=", 12) &&
			 nr_shares < MAX_SHARES)
			shares[nr_shares++] = word + 12;
	}
}

static void mount_shares(void)
{
	int i;

	for (i = 0; i < nr_shares; i++) {
		char *at = strchr(shares[i], ':');

		if (!at) {
			say("bad umlab.share=%s", shares[i]);
			continue;
		}
		*at++ = '\0';
		mkdir_p(at);
		if (mount("hostfs", at, "hostfs", 0, shares[i]))
			say("could not mount %s at %s: %s", shares[i], at,
			    strerror(errno));
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The command's arguments: hex of the arguments, each NUL-terminated. */
static char **decode_argv(const char *in)
{
	size_t len = strlen(in), n = 0, argc = 0, i;
	char *buf = malloc(len / 2 + 1), **argv, *p;

	if (!buf || len % 2)
		return NULL;
	for (i = 0; i < len; i += 2) {
		int hi = hex_digit(in[i]), lo = hex_digit(in[i + 1]);

		if (hi < 0 || lo < 0)
			return NULL;
		buf[n++] = (char)(hi << 4 | lo);
	}
	for (i = 0; i < n; i++)
		argc += !buf[i];
	if (!argc || buf[n - 1])
		return NULL;
	argv = calloc(argc + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	for (p = buf, i = 0; i < argc; p += strlen(p) + 1)
		argv[i++] = p;
	return argv;
}

/* Host stdin, a file run.sh made into /dev/ubdb: the first BYTES of it. */
static void stdin_from_disk(void)
{
	char buf[65536];
	long left = stdin_bytes;
	int in = -1, out, fd;
	struct termios tio;

	/* output goes to a file or pipe on the host: plain \n, no echo */
	if (!tcgetattr(1, &tio)) {
		tio.c_oflag &= ~ONLCR;
		tio.c_lflag &= ~ECHO;
		tcsetattr(1, TCSANOW, &tio);
	}
	out = open("/run/umlab-stdin", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (left > 0)
		in = open("/dev/ubdb", O_RDONLY);
	while (left > 0 && in >= 0 && out >= 0) {
		ssize_t n = read(in, buf, left < (long)sizeof(buf) ? left : (long)sizeof(buf));

		if (n <= 0 || write(out, buf, n) != n)
			break;
		left -= n;
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	fd = open("/run/umlab-stdin", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
}

/* In a new session, with the console as controlling terminal. */
static void take_console(void)
{
	char name[64] = "console", path[80];
	FILE *f = fopen("/sys/class/tty/console/active", "r");
	int fd;

	if (f) {
		if (fscanf(f, "%63s", name) != 1)
			snprintf(name, sizeof(name), "console");
		fclose(f);
	}
	snprintf(path, sizeof(path), "/dev/%s", name);
	setsid();
	fd = open(path, O_RDWR);
	if (fd < 0)
		return;
	ioctl(fd, TIOCSCTTY, 0);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	tcsetpgrp(0, getpid());
}

static pid_t start(char **argv, int session)
{
	sigset_t none;
	pid_t pid = fork();

	if (pid)
		return pid;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (session)
		take_console();
	execvp(argv[0], argv);
	say("%s: %s", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* End every process, gently first. */
static void end_all(void)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int i;

	kill(-1, SIGTERM);
	kill(-1, SIGHUP);
	for (i = 0; i < 50; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (kill(-1, 0) && errno == ESRCH)
			return;
		nanosleep(&tick, NULL);
	}
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
}

/*
 * Wait for @pid, reaping orphans on the way, and return its exit status as
 * a shell gives it. A power signal ends everything and powers off.
 */
static int wait_for(pid_t pid)
{
	int status, sig;
	pid_t got;

	for (;;) {
		while ((got = waitpid(-1, &status, WNOHANG)) > 0)
			if (got == pid)
				return WIFSIGNALED(status) ?
					128 + WTERMSIG(status) : WEXITSTATUS(status);
		sig = sigwaitinfo(&waited, NULL);
		if (sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGTERM) {
			end_all();
			finish(0);
		}
	}
}

int main(void)
{
	static char sh[] = "sh", login[] = "-l";
	char *shell[] = { sh, login, NULL }, *plain_sh[] = { sh, NULL };
	char **argv;
	int status;

	/* taken with sigwaitinfo(), never delivered */
	sigemptyset(&waited);
	sigaddset(&waited, SIGUSR1);
	sigaddset(&waited, SIGUSR2);
	sigaddset(&waited, SIGTERM);
	sigaddset(&waited, SIGCHLD);
	sigprocmask(SIG_BLOCK, &waited, NULL);

	setenv("PATH", "/sbin:/bin:/usr/sbin:/usr/bin", 1);
	setenv("HOME", "/root", 1);
	mount_fstab();
	/* cgroup v2: the controllers for the cgroups the guest makes */
	write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory +pids +cpu");
	set_hostname();
	read_cmdline();
	if (build_dir)
		setenv("UMLAB_BUILD", build_dir, 1);
	mount_shares();
	if (stdin_bytes >= 0)
		stdin_from_disk();

	if (!strcmp(mode, "cmd")) {
		argv = argv64 ? decode_argv(argv64) : NULL;
		if (!argv) {
			say("bad umlab.argv= on the kernel command line");
			finish(2);
		}
		if (chdir("/lab"))
			finish(1);
		if (cmd_tty) {
			struct termios tio;

			/* Ctrl-Z would stop the command with nobody to continue it */
			if (!tcgetattr(0, &tio)) {
				tio.c_cc[VSUSP] = _POSIX_VDISABLE;
				tcsetattr(0, TCSANOW, &tio);
			}
		}
		status = wait_for(start(argv, cmd_tty));
	} else if (!strcmp(mode, "stdin")) {
		if (chdir("/lab"))
			finish(1);
		status = wait_for(start(plain_sh, 0));
	} else {
		/* job control, and Ctrl-C for the guest's foreground command */
		wait_for(start(shell, 1));
		status = 0;
	}
	finish(status);
}
