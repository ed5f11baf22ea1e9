// SPDX-License-Identifier: GPL-2.0
/*
 * ksort - sort integers through /dev/ksort and check the result.
 *
 *   ksort INT...          sort the given integers, print them one a line
 *   ksort -n N [-s SEED]  sort N random integers, check, print the time
 *   ksort --errors        check the errors the device returns
 *   ksort --enomem        with failslab set up: a failed allocation in the
 *                         kernel gives ENOMEM, and the device still works
 *
 * Every result is checked against qsort(3) of the same input: exit 1 on a
 * wrong answer, 2 on bad usage or an unexpected error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../ksort.h"

static const char *dev = "/dev/ksort";
/* A page the process may not touch: the kernel must answer EFAULT. */
static void *bad_ptr;

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int open_dev(void)
{
	int fd = open(dev, O_RDWR);

	if (fd < 0) {
		fprintf(stderr, "ksort: %s: %s (is the module loaded?)\n", dev,
			strerror(errno));
		exit(2);
	}
	return fd;
}

/* Sort @in (n ints) in the kernel into @out; returns kernel nanoseconds. */
static uint64_t kernel_sort(int fd, const int *in, int *out, size_t n)
{
	size_t len = n * sizeof(int), got = 0;
	uint64_t nsecs = 0;
	ssize_t r;

	r = write(fd, in, len);
	if (r != (ssize_t)len) {
		fprintf(stderr, "ksort: write of %zu bytes: %s\n", len,
			r < 0 ? strerror(errno) : "short write");
		exit(2);
	}
	while (got < len) {
		r = read(fd, (char *)out + got, len - got);
		if (r <= 0) {
			fprintf(stderr, "ksort: read: %s\n",
				r < 0 ? strerror(errno) : "early end of data");
			exit(2);
		}
		got += r;
	}
	if (ioctl(fd, KSORT_IOC_GET_NSECS, &nsecs)) {
		fprintf(stderr, "ksort: KSORT_IOC_GET_NSECS: %s\n",
			strerror(errno));
		exit(2);
	}
	return nsecs;
}

static int check(const int *in, const int *out, size_t n)
{
	int *ref = malloc(n * sizeof(int));
	size_t i;

	if (!ref)
		exit(2);
	memcpy(ref, in, n * sizeof(int));
	qsort(ref, n, sizeof(int), cmp_int);
	for (i = 0; i < n; i++) {
		if (out[i] != ref[i]) {
			fprintf(stderr, "ksort: WRONG at index %zu: got %d, want %d\n",
				i, out[i], ref[i]);
			free(ref);
			return 0;
		}
	}
	free(ref);
	return 1;
}

/* Expect write(@buf, @len) to fail with @want. */
static int expect_write_error(int fd, const void *buf, size_t len, int want,
			      const char *what)
{
	ssize_t r = write(fd, buf, len);

	if (r >= 0 || errno != want) {
		printf("FAIL: %s: got %s, want %s\n", what,
		       r >= 0 ? "success" : strerror(errno), strerror(want));
		return 0;
	}
	printf("ok: %s -> %s\n", what, strerror(want));
	return 1;
}

static int test_errors(void)
{
	int fd = open_dev(), ok = 1, one[2] = { 2, 1 };
	size_t big = KSORT_MAX_BYTES + sizeof(int);
	char *huge = calloc(1, big);
	uint64_t v;

	bad_ptr = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!huge || bad_ptr == MAP_FAILED)
		return 2;
	ok &= expect_write_error(fd, one, 3, EINVAL, "write of 3 bytes");
	ok &= expect_write_error(fd, one, 0, EINVAL, "write of 0 bytes");
	ok &= expect_write_error(fd, huge, big, EINVAL,
				 "write over KSORT_MAX_BYTES");
	ok &= expect_write_error(fd, bad_ptr, 8, EFAULT,
				 "write from a bad pointer");
	if (write(fd, one, sizeof(one)) != sizeof(one) ||
	    read(fd, bad_ptr, sizeof(one)) >= 0 || errno != EFAULT) {
		printf("FAIL: read to a bad pointer did not give EFAULT\n");
		ok = 0;
	} else {
		printf("ok: read to a bad pointer -> %s\n", strerror(EFAULT));
	}
	if (ioctl(fd, KSORT_IOC_GET_NSECS, bad_ptr) >= 0 || errno != EFAULT) {
		printf("FAIL: KSORT_IOC_GET_NSECS to a bad pointer did not give EFAULT\n");
		ok = 0;
	} else {
		printf("ok: KSORT_IOC_GET_NSECS to a bad pointer -> %s\n",
		       strerror(EFAULT));
	}
	if (ioctl(fd, _IOR('k', 99, uint64_t), &v) >= 0 || errno != ENOTTY) {
		printf("FAIL: an unknown ioctl did not give ENOTTY\n");
		ok = 0;
	} else {
		printf("ok: unknown ioctl -> %s\n", strerror(ENOTTY));
	}
	free(huge);
	close(fd);
	return ok ? 0 : 1;
}

/*
 * Let failslab fail this task's allocations, or stop it: with its
 * task-filter on, it only fails tasks whose make-it-fail is 1. The file
 * is opened beforehand, since opening it allocates too.
 */
static void make_it_fail(int fd, const char *on)
{
	if (pwrite(fd, on, 1, 0) != 1) {
		perror("ksort: /proc/self/make-it-fail");
		exit(2);
	}
}

static int test_enomem(void)
{
	int fd = open_dev(), in[4] = { 4, 3, 2, 1 }, out[4];
	int fail = open("/proc/self/make-it-fail", O_WRONLY);
	ssize_t r;
	int err;

	if (fail < 0) {
		perror("ksort: /proc/self/make-it-fail (needs CONFIG_FAULT_INJECTION)");
		return 2;
	}
	make_it_fail(fail, "1");
	r = write(fd, in, sizeof(in));
	err = errno;
	make_it_fail(fail, "0");
	close(fail);
	if (r >= 0 || err != ENOMEM) {
		printf("FAIL: write with a failing allocation: got %s, want %s\n",
		       r >= 0 ? "success" : strerror(err), strerror(ENOMEM));
		return 1;
	}
	printf("ok: write with a failing allocation -> %s\n", strerror(ENOMEM));

	kernel_sort(fd, in, out, 4);
	if (!check(in, out, 4))
		return 1;
	printf("ok: the next write sorts as usual\n");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n = 0, i;
	unsigned int seed = 1;
	int random_input = 0, fd, *in, *out;
	uint64_t nsecs;

	if (argc > 1 && !strcmp(argv[1], "--errors"))
		return test_errors();
	if (argc > 1 && !strcmp(argv[1], "--enomem"))
		return test_enomem();

	/* Options only in front: "ksort -5 3" sorts -5 and 3. */
	if (argc > 2 && !strcmp(argv[1], "-n")) {
		n = strtoul(argv[2], NULL, 0);
		random_input = 1;
		if (argc == 5 && !strcmp(argv[3], "-s"))
			seed = strtoul(argv[4], NULL, 0);
		else if (argc != 3)
			n = 0;
	} else {
		n = argc - 1;
	}
	if (n == 0 || n > KSORT_MAX_BYTES / sizeof(int)) {
		fprintf(stderr,
			"usage: ksort INT... | ksort -n N [-s SEED] | ksort --errors | ksort --enomem\n"
			"       (1 to %zu integers)\n",
			KSORT_MAX_BYTES / sizeof(int));
		return 2;
	}

	in = malloc(n * sizeof(int));
	out = malloc(n * sizeof(int));
	if (!in || !out)
		return 2;
	srand(seed);
	for (i = 0; i < n; i++)
		in[i] = random_input ? rand() - RAND_MAX / 2 :
				       (int)strtol(argv[1 + i], NULL, 0);

	fd = open_dev();
	nsecs = kernel_sort(fd, in, out, n);
	close(fd);

	if (!check(in, out, n))
		return 1;
	if (random_input)
		printf("ksort: sorted %zu integers in %llu ns (kernel), order checked\n",
		       n, (unsigned long long)nsecs);
	else
		for (i = 0; i < n; i++)
			printf("%d\n", out[i]);
	return 0;
}
