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
 *   umlab.user=NAME:UID:GID     the host user, as an ordinary user of the
 *                               guest too (home /home/NAME, sudo makes
 *                               root): files it writes in /lab and /share
 *                               keep their owner
 *   umlab.stdin=stream|null     host stdin is not a terminal: the
 *                               command reads it from run.sh's relay on
 *                               /dev/ttyS0 (see struct feed), or it was
 *                               /dev/null
 *
 * poweroff, halt and reboot (busybox signals PID 1: SIGUSR2, SIGUSR1,
 * SIGTERM) end every process and power off with status 0; reboot does not
 * boot again. A command's own status is what run.sh exits with.
 */
#define _GNU_SOURCE	/* pipe2() */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAX_SHARES 16
/* Debian's bpftrace and bpftool for the guest (scripts/bpf-tools.sh) */
#define BPF_TOOLS "/lab/build/bpf/bin"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *mode = "shell";
static char *argv64;
static int cmd_tty;
static const char *stdin_from;
static char *shares[MAX_SHARES];
static int nr_shares;
static char *build_dir;
static char *user;

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

/*
 * Host stdin that is not a terminal (umlab.stdin=stream), passed to the
 * command as it comes: run.sh's relay reads it and answers on /dev/ttyS0
 * when init asks ("more N\n": at most N bytes). init writes each chunk
 * into a pipe, the command's stdin, and asks again once all of it is in
 * the pipe. So the boot never waits for the input, the input's end
 * reaches the command as EOF, and the relay reads little more than the
 * command takes. A reply is the chunk, escaped, then ESC '.'; ESC 'e' ends
 * the input (ESC 'x' too, after a read error the relay has reported).
 * Escaped are ESC itself (ESC 'd') and Ctrl-C (ESC 'c'), which UML under
 * gdb would take for itself. At the end init tells the relay how much the
 * command took ("took N\n"): a file's offset is left there, as a shell's
 * read leaves it.
 *
 * A reply, at most 2 * FEED_CHUNK + 2 bytes, must fit in the line's 4096
 * bytes short of its throttle mark (128 below): UML's serial line, once
 * throttled, no longer hears its host side (arch/um/drivers/line.c:
 * line_throttle() takes the descriptor out of its poll set for good).
 */
#define FEED_ESC 0x10
#define FEED_CHUNK 1920

static struct feed {
	int tty;		/* /dev/ttyS0, raw: requests out, replies in */
	int pipe;		/* write end of the command's stdin, or -1 */
	int peek;		/* a read end, for what is still in the pipe */
	int asked;		/* a reply is on its way */
	int ended;		/* the input has ended */
	int esc;		/* the last byte read was FEED_ESC */
	long fed;		/* bytes written into the pipe */
	size_t len, off;	/* buf[off..len) is still to go into the pipe */
	unsigned char buf[FEED_CHUNK];
} *feed;

static void feed_say(const char *what)
{
	ssize_t n = write(feed->tty, what, strlen(what));

	if (n != (ssize_t)strlen(what)) {
		say("stdin: cannot reach run.sh's relay: %s",
		    n < 0 ? strerror(errno) : "short write");
		feed->ended = 1;
	}
}

/* The serial line from the relay, raw: every byte as it was sent. */
static int feed_line(void)
{
	struct termios tio;
	int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (!tcgetattr(fd, &tio)) {
		cfmakeraw(&tio);
		if (!tcsetattr(fd, TCSANOW, &tio))
			return fd;
	}
	close(fd);
	return -1;
}

/* The command's stdin: a pipe fed from the host, or /dev/null. */
static int feed_open(void)
{
	static struct feed f;
	int fds[2];

	if (strcmp(stdin_from, "stream"))
		return open("/dev/null", O_RDONLY | O_CLOEXEC);
	f.tty = feed_line();
	if (f.tty < 0 || pipe2(fds, O_CLOEXEC)) {
		say("stdin: cannot open the line from the host (%s): the command reads /dev/null",
		    strerror(errno));
		if (f.tty >= 0)
			close(f.tty);
		return open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	f.pipe = fds[1];
	f.peek = fcntl(fds[0], F_DUPFD_CLOEXEC, 3);
	feed = &f;
	return fds[0];
}

/* Ask for the next chunk once the last one is in the pipe. */
static void feed_ask(void)
{
	char msg[32];

	if (feed->asked || feed->ended || feed->off < feed->len)
		return;
	feed->off = feed->len = 0;
	feed->asked = 1;
	snprintf(msg, sizeof(msg), "more %zu\n", sizeof(feed->buf));
	feed_say(msg);
}

static void feed_read(void)
{
	unsigned char raw[4096];
	ssize_t n = read(feed->tty, raw, sizeof(raw)), i;

	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		say("stdin: the line from the host is gone: the input ends here");
		feed->ended = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = raw[i];

		if (feed->esc) {
			feed->esc = 0;
			if (c == '.')
				feed->asked = 0;
			else if (c == 'e' || c == 'x')
				feed->ended = 1;
			else if (feed->len < sizeof(feed->buf))
				feed->buf[feed->len++] = c == 'c' ? 0x03 : FEED_ESC;
		} else if (c == FEED_ESC) {
			feed->esc = 1;
		} else if (feed->len < sizeof(feed->buf)) {
			feed->buf[feed->len++] = c;
		}
	}
}

static void feed_write(void)
{
	ssize_t n = write(feed->pipe, feed->buf + feed->off, feed->len - feed->off);

	if (n > 0) {
		feed->off += n;
		feed->fed += n;
	}
}

/* The poll entries for the feed, at @p; how many. */
static int feed_poll(struct pollfd *p)
{
	int n = 0;

	if (!feed || feed->pipe < 0)
		return 0;
	feed_ask();
	if (feed->ended && feed->off == feed->len) {
		/* all of it in the pipe: the command reads EOF after it */
		close(feed->pipe);
		feed->pipe = -1;
		return 0;
	}
	if (feed->asked)
		p[n++] = (struct pollfd){ .fd = feed->tty, .events = POLLIN };
	if (feed->off < feed->len)
		p[n++] = (struct pollfd){ .fd = feed->pipe, .events = POLLOUT };
	return n;
}

/* Tell the relay how much the command took: fed, less what it left. */
static void feed_end(void)
{
	char msg[48];
	int left = 0;

	if (!feed)
		return;
	if (ioctl(feed->peek, FIONREAD, &left))
		left = 0;
	snprintf(msg, sizeof(msg), "took %ld\n", feed->fed - left);
	feed_say(msg);
	feed = NULL;
}

/* Report the status on tty1 for run.sh, then power off. */
static void finish(int status) __attribute__((noreturn));
static void finish(int status)
{
	char buf[32];

	feed_end();
	/*
	 * The guest's work is done: the console is quiet from here on. UML
	 * would tell it that epoll refuses tty1's host file ("epollctl add
	 * err"), then "reboot: Power down"; neither is the test's.
	 */
	write_file("/proc/sys/kernel/printk", "0");
	snprintf(buf, sizeof(buf), "umlab-exit %d\n", status);
	write_file("/dev/tty1", buf);
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

/*
 * A kernel with BPF (the 7.3 line, docs/bpf.md): the BPF filesystem for
 * pinned programs and maps, and Debian's bpftrace and bpftool, which the
 * lab keeps in its build (scripts/bpf-tools.sh), on the PATH.
 */
static void bpf_setup(void)
{
	if (access("/proc/sys/kernel/unprivileged_bpf_disabled", F_OK))
		return;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=700"))
		say("cannot mount bpf on /sys/fs/bpf: %s", strerror(errno));
	if (!access(BPF_TOOLS, X_OK))
		setenv("PATH", "/sbin:/bin:/usr/sbin:/usr/bin:" BPF_TOOLS, 1);
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

/*
 * The loopback up, as a distribution's boot brings it up: the kernel gives
 * it 127.0.0.1/8 then. (Guest programs and in-kernel servers talk over it;
 * there is no other network.)
 */
static void loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int up = fd >= 0 && !ioctl(fd, SIOCGIFFLAGS, &ifr);

	if (up) {
		ifr.ifr_flags |= IFF_UP;
		up = !ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (!up)
		say("cannot bring the loopback up: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
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
			stdin_from = word + 12;
		else if (!strncmp(word, "umlab.user=", 11))
			user = word + 11;
		else if (!strncmp(word, "umlab.share=", 12) &&
			 nr_shares < MAX_SHARES)
			shares[nr_shares++] = word + 12;
	}
}

/*
 * The host user, as a user of the guest (umlab.user=NAME:UID:GID): in
 * /etc/passwd and /etc/group (the root filesystem is this run's copy),
 * with a home. /etc/sudoers lets every user be root with sudo.
 */
static void add_user(void)
{
	char name[33], home[64];
	unsigned int uid, gid;
	FILE *f;

	if (!user)
		return;
	if (sscanf(user, "%32[a-z0-9_.-]:%u:%u", name, &uid, &gid) != 3 ||
	    !uid || !gid) {
		say("bad umlab.user=%s: no user but root", user);
		return;
	}
	f = fopen("/etc/passwd", "a");
	if (f) {
		fprintf(f, "%s:x:%u:%u:%s:/home/%s:/bin/sh\n", name, uid, gid,
			name, name);
		fclose(f);
	}
	f = fopen("/etc/group", "a");
	if (f) {
		fprintf(f, "%s:x:%u:\n", name, gid);
		fclose(f);
	}
	snprintf(home, sizeof(home), "/home/%s", name);
	mkdir_p(home);
	if (chown(home, uid, gid))
		say("cannot give %s to %s: %s", home, name, strerror(errno));
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

/* Start @argv; @in, if not -1, is its stdin (and closed here). */
static pid_t start(char **argv, int session, int in)
{
	sigset_t none;
	pid_t pid = fork();

	if (pid) {
		if (in >= 0)
			close(in);
		return pid;
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (session)
		take_console();
	if (in >= 0)
		dup2(in, 0);
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
 * Wait for @pid, reaping orphans and passing host stdin on the way, and
 * return its exit status as a shell gives it. A power signal ends
 * everything and powers off.
 */
static int wait_for(pid_t pid)
{
	struct signalfd_siginfo si;
	struct pollfd p[3];
	int sigs = signalfd(-1, &waited, SFD_CLOEXEC | SFD_NONBLOCK);
	int status, n, i;
	pid_t got;

	if (sigs < 0) {
		say("signalfd: %s (the kernel needs CONFIG_SIGNALFD)", strerror(errno));
		finish(1);
	}
	for (;;) {
		while ((got = waitpid(-1, &status, WNOHANG)) > 0)
			if (got == pid)
				return WIFSIGNALED(status) ?
					128 + WTERMSIG(status) : WEXITSTATUS(status);
		p[0] = (struct pollfd){ .fd = sigs, .events = POLLIN };
		n = 1 + feed_poll(p + 1);
		if (poll(p, n, -1) < 0)
			continue;
		while (read(sigs, &si, sizeof(si)) == sizeof(si))
			if (si.ssi_signo == SIGUSR1 || si.ssi_signo == SIGUSR2 ||
			    si.ssi_signo == SIGTERM) {
				end_all();
				finish(0);
			}
		for (i = 1; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (p[i].fd == feed->tty)
				feed_read();
			else
				feed_write();
		}
	}
}

int main(void)
{
	static char sh[] = "sh", login[] = "-l";
	char *shell[] = { sh, login, NULL }, *plain_sh[] = { sh, NULL };
	char **argv;
	int status, in = -1;

	/* taken from a signalfd, never delivered */
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
	loopback_up();
	read_cmdline();
	if (build_dir)
		setenv("UMLAB_BUILD", build_dir, 1);
	bpf_setup();
	mount_shares();
	add_user();
	if (stdin_from) {
		struct termios tio;

		/* output goes to a file or pipe on the host: plain \n, no echo */
		if (!tcgetattr(1, &tio)) {
			tio.c_oflag &= ~ONLCR;
			tio.c_lflag &= ~ECHO;
			tcsetattr(1, TCSANOW, &tio);
		}
		in = feed_open();
	}

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
		status = wait_for(start(argv, cmd_tty, in));
	} else if (!strcmp(mode, "stdin")) {
		if (chdir("/lab"))
			finish(1);
		status = wait_for(start(plain_sh, 0, in));
	} else {
		/* job control, and Ctrl-C for the guest's foreground command */
		wait_for(start(shell, 1, -1));
		status = 0;
	}
	finish(status);
}
