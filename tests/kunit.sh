#!/bin/sh
# where: guest
# KUnit suites of the lab's modules (ksort's sorting, simrupt's circular
# buffer): they run when their module is loaded, after the module they
# test; the runner nests their KTAP as this test's subtests. Here, every
# case must have passed, as the results in debugfs say too.
. tests/lib/module.sh
R=/sys/kernel/debug/kunit

load ksort/ksort
load ksort/ksort_kunit
grep -q '^ok 1 ksort$' $R/ksort/results || fail "ksort's suite: $(cat $R/ksort/results)"
unload ksort_kunit
unload ksort

load simrupt/simrupt
load simrupt/simrupt_kunit
grep -q '^ok 1 simrupt_circ$' $R/simrupt_circ/results ||
	fail "simrupt's suite: $(cat $R/simrupt_circ/results)"
unload simrupt_kunit
unload simrupt
ok "the suites of ksort and simrupt passed"
