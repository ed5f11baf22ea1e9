/*
 * syscall-cost [N]: the cost of a system call here, getppid() N times
 * (default 20000), as nanoseconds per call, of a fork+exit+wait, N/100
 * times, and of a fork+exec of /bin/true+wait, N/200 times. For make
 * bench, in the guest and on the host alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000, i, forks;
	double t0;

	if (n < 100) {
		fprintf(stderr, "usage: syscall-cost [N >= 100]\n");
		return 2;
	}
	t0 = now();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("getppid %.0f ns\n", (now() - t0) / n);

	forks = n / 100;
	t0 = now();
	for (i = 0; i < forks; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return 1;
	}
	printf("fork %.0f ns\n", (now() - t0) / forks);

	forks = n / 200;
	t0 = now();
	for (i = 0; i < forks; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return 1;
	}
	printf("forkexec %.0f ns\n", (now() - t0) / forks);
	return 0;
}
