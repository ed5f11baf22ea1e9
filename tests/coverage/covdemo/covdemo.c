// SPDX-License-Identifier: GPL-2.0
/*
 * covdemo - a module whose coverage is known in advance, for the test of
 * make coverage (tests/coverage.sh). Lines the test reaches end with a
 * comment "cov: N", N being how often they run when the module is loaded
 * with steps=3 and unloaded; "cov: 0" marks the lines it never reaches,
 * and "branches: A B" how often each way of a condition is taken. The
 * test compares these with the report, line by line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int steps;
module_param(steps, int, 0444);

static noinline void covdemo_odd(int i)
{
	pr_info("odd %d\n", i);					/* cov: 1 */
}

static noinline void covdemo_even(int i)
{
	pr_info("even %d\n", i);				/* cov: 2 */
}

static noinline void covdemo_never(int x)
{
	pr_err("steps=%d makes no sense\n", x);			/* cov: 0 */
}

static int __init covdemo_init(void)
{
	int i;

	if (steps < 0) {					/* branches: 0 1 */
		covdemo_never(steps);				/* cov: 0 */
		return -EINVAL;					/* cov: 0 */
	}
	for (i = 0; i < steps; i++) {				/* branches: 3 1 */
		if (i % 2)					/* branches: 1 2 */
			covdemo_odd(i);				/* cov: 1 */
		else
			covdemo_even(i);			/* cov: 2 */
	}
	pr_info("%d steps\n", steps);				/* cov: 1 */
	return 0;
}

static void __exit covdemo_exit(void)
{
	pr_info("unloaded\n");					/* cov: 1 */
}

module_init(covdemo_init);
module_exit(covdemo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Known coverage, for the test of make coverage");
