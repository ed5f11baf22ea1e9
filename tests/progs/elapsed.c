/*
 * elapsed CMD [ARG...]: run CMD, then print "elapsed_ns N", the
 * nanoseconds it took on CLOCK_MONOTONIC, on stderr; exit with CMD's
 * status. For make bench: a figure for work in the guest, timed in the
 * guest, with no boot to take away.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long t0;
	pid_t pid;
	int status;

	if (argc < 2) {
		fprintf(stderr, "usage: elapsed CMD [ARG...]\n");
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("elapsed: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("elapsed: waitpid");
		return 2;
	}
	fprintf(stderr, "elapsed_ns %lld\n", now_ns() - t0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
