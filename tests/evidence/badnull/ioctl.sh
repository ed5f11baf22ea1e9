#!/bin/sh
sudo insmod badnull.ko init=0
./ioctl /dev/badnull
