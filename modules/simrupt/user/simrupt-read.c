// SPDX-License-Identifier: GPL-2.0
/*
 * simrupt-read - read N bytes from /dev/simrupt and check the sequence.
 *
 *   simrupt-read N [TIMEOUT_S]   blocking reads, with poll() for the timeout
 *   simrupt-read --nonblock      an empty device must give EAGAIN
 *
 * The module produces 0, 1, 2, ... 255, 0, ... from the first open; every
 * byte must be one more than the one before. Exit 0 if so, 1 on a wrong
 * byte or a timeout, 2 on other errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dev = "/dev/simrupt";

static int check_nonblock(void)
{
	char c;
	int fd = open(dev, O_RDONLY | O_NONBLOCK);

	if (fd < 0) {
		perror("simrupt-read: open");
		return 2;
	}
	/* just opened: the first timer tick is a period away */
	if (read(fd, &c, 1) >= 0 || errno != EAGAIN) {
		printf("FAIL: read of an empty device with O_NONBLOCK did not give EAGAIN\n");
		return 1;
	}
	printf("ok: O_NONBLOCK read of an empty device -> EAGAIN\n");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	long want, got = 0, timeout_ms;
	unsigned char buf[256], expect = 0;
	struct pollfd pfd;
	int fd, i, r;

	if (argc > 1 && !strcmp(argv[1], "--nonblock"))
		return check_nonblock();
	want = argc > 1 ? atol(argv[1]) : 0;
	if (want <= 0) {
		fprintf(stderr, "usage: simrupt-read N [TIMEOUT_S] | simrupt-read --nonblock\n");
		return 2;
	}
	timeout_ms = (argc > 2 ? atol(argv[2]) : 10) * 1000;

	fd = open(dev, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "simrupt-read: %s: %s\n", dev, strerror(errno));
		return 2;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < want) {
		r = poll(&pfd, 1, timeout_ms);
		if (r == 0) {
			printf("FAIL: no data for %ld ms after %ld of %ld bytes\n",
			       timeout_ms, got, want);
			return 1;
		}
		if (r < 0) {
			perror("simrupt-read: poll");
			return 2;
		}
		r = read(fd, buf, want - got < (long)sizeof(buf) ?
			 (size_t)(want - got) : sizeof(buf));
		if (r <= 0) {
			perror("simrupt-read: read");
			return 2;
		}
		for (i = 0; i < r; i++, got++, expect++) {
			if (buf[i] != expect) {
				printf("FAIL: byte %ld is %u, want %u\n", got,
				       buf[i], expect);
				return 1;
			}
		}
	}
	printf("simrupt-read: %ld bytes in sequence\n", got);
	close(fd);
	return 0;
}
