/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host-side bench programs (hostref, trapcost) share: a clock in
 * nanoseconds, and pinning to one CPU so that a hand-over between two
 * processes is a switch on that CPU, as in a lab run (run.sh pins UML and
 * its processes the same way).
 */
#ifndef UMLAB_BENCH_H
#define UMLAB_BENCH_H

#include <sched.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Stay on the first CPU we may run on; children inherit it. */
static void one_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

#endif
