/*
 * memhog MIB: allocate MIB mebibytes, one at a time, touching every page,
 * and say how far it got. For the cgroup tests: in a cgroup whose
 * memory.max is lower, the kernel's OOM killer ends it (SIGKILL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long mib = argc > 1 ? atol(argv[1]) : 0, i;

	if (mib <= 0) {
		fprintf(stderr, "usage: memhog MIB\n");
		return 2;
	}
	for (i = 1; i <= mib; i++) {
		char *p = malloc(1 << 20);

		if (!p) {
			printf("memhog: malloc failed after %ld MiB\n", i - 1);
			return 1;
		}
		memset(p, 0x5a, 1 << 20);
		printf("memhog: %ld MiB\n", i);
		fflush(stdout);
	}
	printf("memhog: all %ld MiB\n", mib);
	return 0;
}
