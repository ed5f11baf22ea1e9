#!/bin/sh
# The same as umlab-test.sh, in an instance of its own: the counters of
# the two runs add up.
sudo insmod covdemo.ko steps=3 || exit 1
sudo rmmod covdemo
