// SPDX-License-Identifier: GPL-2.0
/*
 * hostref - what this host can do, as references for make bench:
 *   pipe_rtt_ns  a one-byte round trip between two processes on one CPU
 *   spawn_ns     fork, exec /bin/true, wait
 *   getppid_ns   a system call
 * The guest's figures are reported as multiples of these, measured in the
 * same run, since absolute times move from machine to machine and day to
 * day.
 *
 * usage: hostref [N]   (N round trips, N/100 spawns; default 20000)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000, i;
	int ping[2], pong[2];
	char c = 0;
	double t0;
	pid_t pid;

	if (n < 100) {
		fprintf(stderr, "usage: hostref [N >= 100]\n");
		return 2;
	}
	one_cpu();
	if (pipe(ping) || pipe(pong))
		return 1;
	pid = fork();
	if (pid == 0) {
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	t0 = now();
	for (i = 0; i < n; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 1;
	printf("pipe_rtt_ns %.0f\n", (now() - t0) / n);
	close(ping[1]);	/* the child reads end-of-file and goes */
	waitpid(pid, NULL, 0);

	t0 = now();
	for (i = 0; i < n / 100; i++) {
		pid = fork();
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return 1;
	}
	printf("spawn_ns %.0f\n", (now() - t0) / (n / 100));

	t0 = now();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("getppid_ns %.0f\n", (now() - t0) / n);
	return 0;
}
