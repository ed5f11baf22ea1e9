// SPDX-License-Identifier: GPL-2.0
/*
 * stdin-feed ASKS REPLIES: run.sh's relay of its stdin (a pipe or a file,
 * not a terminal) to the guest command, as the command reads it.
 *
 * The guest's init (rootfs/init.c, struct feed) writes "more N\n" on its
 * serial line, which comes out of UML into the FIFO ASKS; this answers
 * with at most N bytes of stdin into the FIFO REPLIES, UML's side of the
 * line: the bytes with FEED_ESC and Ctrl-C escaped (ESC 'd', ESC 'c': UML
 * under gdb would take a Ctrl-C for itself), then ESC '.'. The end of
 * stdin is ESC 'e'; a read error is reported here in one line and sent
 * as ESC 'x'. "took N\n" says how much the command read in all: a file's
 * offset is left there, as a shell's read leaves it, and this ends. It
 * ends too when the guest is gone (ASKS closes, or REPLIES breaks).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FEED_ESC 0x10

static int out;

static void send_guest(const unsigned char *s, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(out, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			exit(0);	/* the guest is gone */
		s += n;
		len -= n;
	}
}

/* at most @want bytes of stdin to the guest, escaped */
static void feed(size_t want, long long *total)
{
	static unsigned char data[65536], esc[2 * sizeof(data) + 2];
	size_t i, k = 0;
	ssize_t n;

	if (want > sizeof(data))
		want = sizeof(data);
	do
		n = read(0, data, want);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		fprintf(stderr, "run.sh: reading stdin failed after %lld bytes (%s): for the guest's command, its input ends there\n",
			*total, strerror(errno));
		send_guest((const unsigned char *)"\x10" "x", 2);
		return;
	}
	if (n == 0) {
		send_guest((const unsigned char *)"\x10" "e", 2);
		return;
	}
	*total += n;
	for (i = 0; i < (size_t)n; i++) {
		if (data[i] == FEED_ESC || data[i] == 0x03) {
			esc[k++] = FEED_ESC;
			esc[k++] = data[i] == FEED_ESC ? 'd' : 'c';
		} else {
			esc[k++] = data[i];
		}
	}
	esc[k++] = FEED_ESC;
	esc[k++] = '.';
	send_guest(esc, k);
}

int main(int argc, char **argv)
{
	struct pollfd fds[2];
	char line[128];
	size_t len = 0, want = 0;
	long long total = 0, n;
	off_t start = -1;
	struct stat st;
	int asks;
	ssize_t r;
	char *nl;

	if (argc != 3) {
		fprintf(stderr, "usage: stdin-feed ASKS REPLIES\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	asks = open(argv[1], O_RDONLY);
	out = open(argv[2], O_WRONLY);
	if (asks < 0 || out < 0) {
		fprintf(stderr, "run.sh: %s: %s\n", argv[asks < 0 ? 1 : 2],
			strerror(errno));
		return 1;
	}
	if (!fstat(0, &st) && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		start = lseek(0, 0, SEEK_CUR);

	for (;;) {
		fds[0].fd = asks;
		fds[0].events = POLLIN;
		fds[1].fd = want ? 0 : -1;
		fds[1].events = POLLIN;
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (want && fds[1].revents) {
			feed(want, &total);
			want = 0;
		}
		if (!fds[0].revents)
			continue;
		r = read(asks, line + len, sizeof(line) - 1 - len);
		if (r <= 0)
			return 0;	/* the guest is gone */
		len += r;
		line[len] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (sscanf(line, "more %lld", &n) == 1 && n > 0) {
				want = n;
			} else if (sscanf(line, "took %lld", &n) == 1) {
				if (start >= 0)
					lseek(0, start + n, SEEK_SET);
				return 0;
			}
			len -= nl + 1 - line;
			memmove(line, nl + 1, len + 1);
		}
		if (len == sizeof(line) - 1)
			len = 0;	/* not a request: drop it */
	}
}
