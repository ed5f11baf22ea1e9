#!/bin/sh
# covdemo's test: load it with steps=3, unload it.
sudo insmod covdemo.ko steps=3 || exit 1
dmesg | grep -q 'covdemo: 3 steps' || { echo "covdemo did not take 3 steps"; exit 1; }
sudo rmmod covdemo
