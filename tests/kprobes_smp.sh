#!/bin/sh
# where: guest
# cpus: 2
# timeout: 240
# kprobes on two CPUs (docs/smp.md): a thread bound to each CPU calls a
# probed module function N times at once; the probe counts exactly N hits
# on each CPU, none missed. Meanwhile a probe on gcd(), kernel text that
# the same function calls, is armed and disarmed over and over: the
# function's result never changes (kernel-config/patches/7.3/0007).
# shellcheck disable=SC2046,SC2086 # set -- $(cat ...): the words are fields
. tests/lib/module.sh
D=/sys/kernel/debug/kprobe_check

expect_eq "online CPUs" "$(nproc)" 2
n=100000
case "$UMLAB_BUILD" in */debug) n=20000 ;; esac
load kprobes/kprobe_check
echo $n > $D/cpus || fail "echo $n > $D/cpus failed: $(cat $D/cpus)"
result=$(cat $D/cpus)
echo "$result"
# cpus 2 calls N wrong W missed M toggles T gcd G hits H0 H1 sum S
set -- $result
expect_eq "wrong results" "$6" 0
expect_eq "missed hits" "$8" 0
expect_eq "CPU 0's hits" "${14}" $n
expect_eq "CPU 1's hits" "${15}" $n
expect_eq "hits in all" "${17}" $((2 * n))
[ "${10}" -ge 2 ] || fail "the probe on gcd() was armed only ${10} times"
[ "${12}" -ge "${10}" ] || fail "the probe on gcd() was hit ${12} times in ${10} arms"
ok "$n calls on each CPU, each counted once; gcd()'s probe armed and disarmed ${10} times meanwhile, ${12} hits"
unload kprobe_check
